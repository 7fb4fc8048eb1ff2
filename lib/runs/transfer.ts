import type { PromptSelection } from "../export/export-lines";
import { scoreColumns } from "../methods/method-scores";
import { keyedById, keyKindOf, promptKeys, type KeyKind, type PromptKeys } from "./prompt-keys";
import type { MethodRun } from "./run-methods";
import type { ScoredRun } from "./score-run";

/**
 * What a transfer applies to a run: a list of prompt keys (a run's selection, or a saved set's
 * prompts), and optionally the scores `--with-scores` writes, per key.
 */
export interface TransferSource extends PromptKeys {
  columns?: { name: string; byKey: ReadonlyMap<string, number | null> }[];
}

/** The prompts `target` has of a source, as a selection its export writes. */
export interface Transfer {
  key: KeyKind;
  selection: PromptSelection;
  /** Distinct keys the source selects. */
  wanted: number;
  /** Of those, the keys of a prompt of `target` that has a dataset row (its rows are written). */
  found: number;
  /** The rest: not in the target's dataset. */
  missing: number;
}

/** A run whose prompts cannot take a source's keys. */
export class TransferError extends Error {}

/**
 * A run's selection as a transfer source keyed for `target`: the distinct keys of its selected
 * prompts (in ordinal order) and the method's score columns of each (a key's prompt scoring
 * highest among the selected ones).
 */
export async function runSelectionSource(from: ScoredRun, m: MethodRun, target: ScoredRun): Promise<TransferSource> {
  const kind = keyKindOf(from.run, target.run);
  const keys = await promptKeys(from, kind);
  const best = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null || !m.selection.mask[i]) continue;
    const had = best.get(k);
    if (had === undefined || m.scores.score[i] > m.scores.score[had]) best.set(k, i);
  }
  const columns = scoreColumns(m.scores).map((c) => ({
    name: c.name,
    byKey: new Map([...best].map(([k, i]): [string, number | null] => [k, Number.isNaN(c.values[i]) ? null : c.values[i]])),
  }));
  return { kind, keys: [...best.keys()], columns };
}

/**
 * Applies a source's keys to `target` (scored with its prompts): every prompt of the target
 * whose key is among them and that has a dataset row is selected. A saved set passes its own
 * keys here in place of a run's selection.
 */
export async function transferTo(target: ScoredRun, source: TransferSource): Promise<Transfer> {
  if (target.run.datasetFile === null) throw new TransferError(`run "${target.run.name}" has no dataset: a transfer writes its dataset rows (ingest it with --dataset)`);
  if (source.kind === "id" && !keyedById(target.run)) {
    throw new TransferError(`the selection is keyed by dataset id, but run "${target.run.name}" identifies its prompts by text`);
  }
  const keys = await promptKeys(target, source.kind);
  const { mask, found } = keysToMask(keys, target.datasetRows, source.keys);
  const columns = (source.columns ?? []).map((c) => ({ name: c.name, values: keys.map((k, j) => (k === null || !mask[j] ? null : (c.byKey.get(k) ?? null))) }));
  const rank = columns.length ? columns[0].values : new Float64Array(keys.length).fill(NaN);
  const wanted = new Set(source.keys).size;
  return { key: source.kind, selection: { mask, columns, rank }, wanted, found, missing: wanted - found };
}

/**
 * Pure: the prompts (per ordinal: key, dataset row or null) whose key is wanted and that have a
 * row, and how many distinct wanted keys they cover.
 */
export function keysToMask(keys: readonly (string | null)[], rows: readonly (number | null)[], wanted: readonly string[]): { mask: Uint8Array; found: number } {
  const want = new Set(wanted);
  const seen = new Set<string>();
  const mask = new Uint8Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j];
    if (k === null || rows[j] === null || rows[j] === undefined || !want.has(k)) continue;
    mask[j] = 1;
    seen.add(k);
  }
  return { mask, found: seen.size };
}
