import { deleteSavedSet, getSavedSet, listSavedSets } from "../db";
import { SetNotFoundError } from "./errors";
import type { SavedSet } from "./types";

/** Every saved set, newest first. */
export async function listSets(): Promise<SavedSet[]> {
  return (await listSavedSets()) as SavedSet[];
}

/** The set of that name, or null. */
export async function getSet(name: string): Promise<SavedSet | null> {
  return (await getSavedSet(name)) as SavedSet | null;
}

/** The set of that name; SetNotFoundError when there is none. */
export async function requireSet(name: string): Promise<SavedSet> {
  const set = await getSet(name);
  if (!set) throw new SetNotFoundError(name);
  return set;
}

/** Deletes a set and its bytes; SetNotFoundError when there is none. Its run is not touched. */
export async function deleteSet(name: string): Promise<void> {
  if (!(await deleteSavedSet(name))) throw new SetNotFoundError(name);
}
