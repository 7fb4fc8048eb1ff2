import path from "node:path";
import type { ExportFormat } from "../export/export-file";
import type { ExportManifest } from "../export/manifest";
import type { SavedSet } from "./types";

/** The file name a set's stored manifests carry until `sets export` names the real one. */
export const MANIFEST_FILE = "<file>";

/** `lim export --manifest`'s manifest, as of save time, plus the set. */
export interface SetManifest extends ExportManifest {
  set: { name: string; note: string | null; savedAt: string; reproduce: string };
}

/**
 * The manifest `lim export --manifest` wrote at save time for this format (createdAt is the
 * save's time), with the exported file's name, and the set: its name, note, and the
 * `lim sets export` command that writes the same bytes again.
 */
export function setManifest(set: SavedSet, format: ExportFormat, stored: string, file: string): SetManifest {
  const m = JSON.parse(stored) as ExportManifest;
  const base = path.basename(file);
  const reproduce = m.reproduce.endsWith(` --out ${MANIFEST_FILE}`) ? `${m.reproduce.slice(0, -MANIFEST_FILE.length)}${base}` : m.reproduce;
  return {
    ...m,
    export: { ...m.export, file: base },
    reproduce,
    set: { name: set.name, note: set.note, savedAt: set.createdAt.toISOString(), reproduce: `lim sets export ${shellWord(set.name)} --format ${format} --out ${base}` },
  };
}

/** A word as a POSIX shell reads it back: as it is when plain, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w.@%+=:,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
