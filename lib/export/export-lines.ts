import { streamDatasetRows } from "../db";
import type { DatasetRowRecord } from "../db/types";
import { isSelected } from "../lim/select";
import type { ScoredRun } from "../runs/score-run";
import { promptDatasetRows, promptTextsWhere } from "../runs/stored-prompts";

/**
 * Which prompts an export writes and the scores `withScores` adds, per prompt (ordinal).
 * Made by a method's selection (lib/methods' selectPrompts, see methodExportSelection).
 */
export interface PromptSelection {
  /** Per prompt: 1 when selected. */
  mask: Uint8Array;
  /** The fields `withScores` appends to each row, in order. */
  columns: { name: string; values: ArrayLike<number | null> }[];
  /** Per prompt: when several prompts share a row's text, the selected one ranking highest gives the row's scores (first on ties). */
  rank: ArrayLike<number | null>;
}

export interface ExportOptions {
  /** LIM's threshold: the selection when `selection` is not given. */
  threshold: number;
  withScores: boolean;
  /** A method's selection; default LIM at `threshold`, written as `lim_score`. */
  selection?: PromptSelection;
  /** A curriculum: the rows in the order of a score; default dataset order. */
  order?: RowOrder;
}

/**
 * The order of a curriculum (`--order-by M [--descending]`): rows by the score of the prompt each
 * is written for, ascending unless `descending`; stable (ties keep dataset order), rows of a
 * prompt with no score (NaN) last.
 */
export interface RowOrder {
  /** Per prompt (ordinal): the score ordered by, NaN where none. */
  score: ArrayLike<number>;
  descending: boolean;
}

/** LIM at a threshold as a PromptSelection: what an export without a method writes. */
export function limSelection(scored: ScoredRun, threshold: number): PromptSelection {
  const mask = Uint8Array.from(scored.scores, (s) => (isSelected(s, threshold) ? 1 : 0));
  return { mask, columns: [{ name: "lim_score", values: scored.scores }], rank: scored.scores };
}

/** The fields an export with scores adds (Parquet writes them as DOUBLE). */
export function scoreFieldNames(scored: ScoredRun, opts: ExportOptions): string[] {
  return opts.withScores ? (opts.selection ?? limSelection(scored, opts.threshold)).columns.map((c) => c.name) : [];
}

/**
 * The curated set as JSONL lines (each ending in "\n"): the original dataset rows whose prompt
 * is selected, in dataset order and unchanged; `{"prompt": ...}` per selected prompt when the
 * run has no dataset. The CLI and the web export both write exactly these lines.
 *
 * Prompts identified by text select every row with their text (the reference exports repeats
 * too). Prompts identified by id select the row of their id: two ids asking the same question
 * are two prompts with their own scores, and only the selected one's row is written.
 */
export async function* exportLines(scored: ScoredRun, opts: ExportOptions): AsyncGenerator<string> {
  if (!opts.order) {
    for await (const [line] of selectedLines(scored, opts)) yield line;
    return;
  }
  // A curriculum holds the selected rows (a curated set, not the dataset) to order them.
  const rows: [string, number][] = [];
  for await (const row of selectedLines(scored, opts)) rows.push(row);
  const { score, descending } = opts.order;
  const key = rows.map(([, i]) => score[i]);
  const order = rows.map((_, k) => k).sort((x, y) => compareScores(key[x], key[y], descending));
  for (const k of order) yield rows[k][0];
}

/** Ascending (or descending) scores, NaN after every number; 0 on ties, so a stable sort keeps dataset order. */
export function compareScores(a: number, b: number, descending: boolean): number {
  const na = a !== a;
  const nb = b !== b;
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return descending ? b - a : a - b;
}

/** Each selected row's line, in dataset order, with the prompt it is written for. */
async function* selectedLines(scored: ScoredRun, opts: ExportOptions): AsyncGenerator<[string, number]> {
  const sel = opts.selection ?? limSelection(scored, opts.threshold);
  const fields = (i: number) => (opts.withScores ? sel.columns.map((c): [string, number | null] => [c.name, c.values[i]]) : []);
  const selected = (i: number) => sel.mask[i] !== 0;

  if (scored.run.datasetFile === null) {
    for await (const [i, prompt] of promptTextsWhere(scored, selected)) {
      const row: Record<string, unknown> = { prompt };
      for (const [name, v] of fields(i)) row[name] = v;
      yield [JSON.stringify(row) + "\n", i];
    }
    return;
  }

  // Only the selected prompts can have a row written for them: by text, a row's prompt is
  // selected whenever any prompt of its text is (`better`), so the selected prompts alone
  // decide the same rows, without a string per prompt of the run.
  const promptOfRow = await rowPromptOf(scored, sel, selected);
  for await (const row of streamDatasetRows(scored.run.id)) {
    const i = promptOfRow(row);
    if (i === undefined || !selected(i)) continue;
    yield [withFields(row.json, fields(i)) + "\n", i];
  }
}

export type RowPrompt = (row: DatasetRowRecord) => number | undefined;

/**
 * The prompt a dataset row is written for, or undefined: by id, the prompt joined to the row; by
 * text, the prompt of the row's text (among several, the selected one ranking highest), among
 * the prompts `among` accepts (default all).
 */
export async function rowPromptOf(scored: ScoredRun, sel: Pick<PromptSelection, "mask" | "rank">, among: (ordinal: number) => boolean = () => true): Promise<RowPrompt> {
  return scored.run.idField === null ? promptsByText(scored, sel, among) : promptsById(scored);
}

/**
 * By text. Several samples may hold one text (one question logged under two templates): a
 * row is selected when any of them is, and takes the scores of the selected one ranking
 * highest (for LIM: each text keeps its best score).
 */
async function promptsByText(scored: ScoredRun, sel: Pick<PromptSelection, "mask" | "rank">, among: (ordinal: number) => boolean): Promise<RowPrompt> {
  const promptOf = new Map<string, number>();
  for await (const [i, p] of promptTextsWhere(scored, among)) {
    const had = promptOf.get(p);
    if (had === undefined || better(sel, i, had)) promptOf.set(p, i);
  }
  return (row) => promptOf.get(row.prompt);
}

/** Whether prompt i should stand for a text rather than prompt j: selected first, then by rank. */
function better(sel: Pick<PromptSelection, "mask" | "rank">, i: number, j: number): boolean {
  if (sel.mask[i] !== sel.mask[j]) return sel.mask[i] === 1;
  const a = sel.rank[i];
  const b = sel.rank[j];
  return a !== null && a === a && (b === null || b !== b || a > b);
}

/** By id: each sample's own row (the first row carrying its id); a row named by two samples, the later one's. */
async function promptsById(scored: ScoredRun): Promise<RowPrompt> {
  const rows = await promptDatasetRows(scored);
  let last = -1;
  for (let i = 0; i < rows.length; i++) if (rows[i] > last) last = rows[i];
  const promptOf = new Int32Array(last + 1).fill(-1);
  for (let i = 0; i < rows.length; i++) if (rows[i] >= 0) promptOf[rows[i]] = i;
  return (row) => (row.rowIndex <= last && promptOf[row.rowIndex] >= 0 ? promptOf[row.rowIndex] : undefined);
}

/** Appends `"name": value` fields to a minified JSON object's text without re-serialising the row. */
function withFields(json: string, fields: [string, number | null][]): string {
  if (!fields.length) return json;
  const body = json.slice(0, json.lastIndexOf("}"));
  const sep = body.trimEnd().endsWith("{") ? "" : ",";
  return `${body}${sep}${fields.map(([name, v]) => `${JSON.stringify(name)}:${JSON.stringify(v)}`).join(",")}}`;
}
