import { streamDatasetRows } from "../db";
import type { RunRecord } from "../db/types";
import { idText, valueAt } from "../ingest/formats/field-path";
import type { ScoredRun } from "./score-run";

/**
 * How the prompts of two runs (or a run and a saved set) are matched: by the dataset's id when
 * both identify prompts by id against a dataset, else by the stored prompt text (a prompt
 * matched to the dataset is stored as the dataset's question, lib/ingest/dataset).
 */
export type KeyKind = "id" | "text";

/** A list of prompt keys and what they are: a run's selection, or a saved set's prompts. */
export interface PromptKeys {
  kind: KeyKind;
  keys: readonly string[];
}

/** Whether a run identifies its prompts by the id of a joined dataset's rows. */
export function keyedById(run: RunRecord): boolean {
  return run.idField !== null && run.datasetFile !== null;
}

/** The key two runs are joined by: ids when both have them, else text. */
export function keyKindOf(a: RunRecord, b: RunRecord): KeyKind {
  return keyedById(a) && keyedById(b) ? "id" : "text";
}

/**
 * The dataset field holding a row's id: the one ingest chose (recorded in the run's notes as
 * `dataset field "F"`), else ingest's own default order (the log's id field, then verl's
 * `extra_info.index`).
 */
export function datasetIdFields(run: RunRecord): string[] {
  for (const note of run.notes) {
    const m = /dataset field "([^"]+)"/.exec(note);
    if (m) return [m[1]];
  }
  return [...new Set([run.idField, "extra_info.index"].filter((f): f is string => !!f))];
}

/** The id of a dataset row (its JSON), or null; `fields` from datasetIdFields. */
export function rowId(json: string, fields: readonly string[]): string | null {
  const value: unknown = JSON.parse(json);
  for (const f of fields) {
    const v = valueAt(value, f);
    if (v !== undefined) return idText(v);
  }
  return null;
}

/** Every dataset row's id, by rowIndex (null where a row has none); empty without a dataset. */
export async function datasetRowIds(run: RunRecord): Promise<(string | null)[]> {
  const ids: (string | null)[] = [];
  if (run.datasetFile === null) return ids;
  const fields = datasetIdFields(run);
  for await (const row of streamDatasetRows(run.id)) ids[row.rowIndex] = rowId(row.json, fields);
  return ids;
}

/**
 * Per prompt ordinal, its key of the given kind: its stored text, or the id of its dataset row
 * (null when it has no row). The run must be scored with its prompts.
 */
export async function promptKeys(scored: ScoredRun, kind: KeyKind): Promise<(string | null)[]> {
  if (scored.prompts.length !== scored.exclusion.length) throw new Error(`run "${scored.run.name}" was scored without its prompts`);
  if (kind === "text") return scored.prompts;
  const ids = await datasetRowIds(scored.run);
  return scored.datasetRows.map((row) => (row === null ? null : (ids[row] ?? null)));
}
