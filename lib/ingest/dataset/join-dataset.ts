import { statSync } from "node:fs";
import { basename } from "node:path";
import type { RunWriter } from "../../db/types";
import { DatasetIndex } from "./dataset-index";
import type { IngestOptions } from "../ingest-options";
import { parseTemplate, type Template } from "./learn-template";
import { IngestError } from "../errors";
import { describeMatch, matchPrompts, type MatchResult } from "./match-prompts";
import { readDatasetRows, type DatasetInfo } from "./read-dataset";
import type { RunAggregator } from "../run-aggregator";
import type { PromptKeyTable } from "../scan/prompt-keys";

export interface LoadedDataset {
  index: DatasetIndex;
  info: DatasetInfo;
}

/** Fails on a template without "{prompt}" before any file is read. */
export function checkJoinOptions(o: IngestOptions): void {
  if (o.promptTemplate !== undefined) parseTemplate(o.promptTemplate);
}

/**
 * Stores every dataset row and indexes them by prompt and, with identity by id, by id. The
 * dataset's id field: --dataset-id-field, else the log's id field name, else verl's
 * `extra_info.index` (the first of these the first row holds). Given the run's prompt keys
 * (the whole log already read, keyed by text), the index refers to them for the prompts
 * both hold instead of copying their bytes (DatasetIndex).
 */
export async function loadDataset(o: IngestOptions, w: RunWriter, onBytes: (done: number, total: number) => void, runKeys?: PromptKeyTable): Promise<LoadedDataset> {
  const ds = o.dataset!;
  const index = new DatasetIndex(runKeys);
  const info: DatasetInfo = {};
  const logId = o.fields?.id;
  const idFields = logId ? [...new Set(ds.idField ? [ds.idField] : [logId, "extra_info.index"])] : undefined;
  onBytes(0, statSync(ds.file).size); // the dataset phase shows before the first chunk is read
  const rows = readDatasetRows({ file: ds.file, format: ds.format, promptField: ds.promptField, promptFlag: "--dataset-prompt-field", idFields, onBytes, info });
  for await (const batch of rows) {
    index.add(batch);
    await w.addDatasetRows(batch);
  }
  return { index, info };
}

export interface Resolution {
  /** Per ordinal: the sample's prompt (made as text on first use; promptOf makes one at a time) and its dataset row. */
  readonly prompts: string[];
  promptOf(ordinal: number): string;
  rows: (number | null)[];
  unmatchedPrompts: number;
  unseenDatasetRows: number;
  /** For the run's notes (also said to the user). */
  notes: string[];
  /** Prompts were identified by id (the reader honoured --id-field). */
  byId: boolean;
  /** Templates learned from this log: a watched run tries them first on prompts it reads later. */
  learned: Template[];
}

/**
 * Decides each logged prompt's stored text and dataset row (match-prompts.ts), and says how
 * the log and the dataset matched. Export joins dataset rows on the stored text, so a prompt
 * matched through a template or an id is stored as the dataset's question.
 */
export function resolvePrompts(agg: RunAggregator, dataset: LoadedDataset | null, o: IngestOptions, say: (m: string) => void): Resolution {
  const notes: string[] = [];
  const note = (m: string) => {
    notes.push(m);
    say(m);
  };
  // Only record-based readers key prompts by id; the OpenRLHF scanner keys by text.
  const byId = o.fields?.id !== undefined && agg.keyedById;
  if (o.fields?.id !== undefined && !byId && agg.size > 0) note(`the ${o.format ?? "openrlhf"} reader identifies prompts by their text: --id-field ${o.fields.id} was not used`);
  // Keys as text only where they are needed: ids, or no dataset to look them up in.
  const { keys, texts } = byId || !dataset ? agg.keysAndTexts() : { keys: [], texts: [] };
  if (!dataset) return { prompts: texts, promptOf: (i) => texts[i], rows: keys.map(() => null), unmatchedPrompts: 0, unseenDatasetRows: 0, notes, byId, learned: [] };

  const file = o.dataset!.file;
  const { m, shared, promptOf } = byId ? matchStrings(keys, texts, dataset, o) : matchKeyBytes(agg, dataset, o);
  const idNote = byId ? `log field "${o.fields!.id}", dataset field "${dataset.info.idField}"` : undefined;
  note(describeMatch(m, agg.size, basename(file), idNote));
  if (byId && dataset.index.repeatedIds() > 0) note(`${dataset.index.repeatedIds().toLocaleString("en-US")} ids appear on more than one row of ${basename(file)}; each id is matched to its first row`);
  const n = (x: number) => x.toLocaleString("en-US");
  if (shared > 0) {
    note(
      byId
        ? `${n(shared)} matched prompts share their dataset question with another id; each is scored on its own and exports its own row`
        : `${n(shared)} matched prompts share their dataset question with another (one question logged under two templates); export selects a question's rows when any of them is selected`,
    );
  }
  if (m.unmatched > 0) say(`${n(m.unmatched)} of ${n(agg.size)} log prompts have no row in ${file}`);
  if (m.unseenRows > 0) say(`${n(m.unseenRows)} of ${n(dataset.index.rows)} rows of ${file} never appear in the log`);
  const learned = m.templates.filter((t) => t.learned).map((t) => t.template);
  let prompts: string[] | undefined;
  return {
    get prompts() {
      return (prompts ??= Array.from({ length: m.rows.length }, (_, i) => promptOf(i)));
    },
    promptOf,
    rows: m.rows,
    unmatchedPrompts: m.unmatched,
    unseenDatasetRows: m.unseenRows,
    notes,
    byId,
    learned,
  };
}

/** Prompts keyed by id, as strings. */
interface Matched {
  /** m.prompts may be left empty: promptOf gives each. */
  m: MatchResult;
  shared: number;
  promptOf: (ordinal: number) => string;
}

function matchStrings(keys: string[], texts: string[], dataset: LoadedDataset, o: IngestOptions): Matched {
  const m = matchPrompts(keys, texts, dataset.index, { byId: true, template: o.promptTemplate });
  checkGivenTemplate(m, texts, o.promptTemplate);
  return { m, shared: sharedTexts(m.prompts, m.rows), promptOf: (i) => m.prompts[i] };
}

/**
 * Prompts keyed by text: each key is looked up as the UTF-8 bytes the run holds, so a prompt
 * that matches exactly never becomes a string of its own (its stored text is the dataset's
 * question); only the rest go through matchPrompts (templates) as text.
 */
function matchKeyBytes(agg: RunAggregator, dataset: LoadedDataset, o: IngestOptions): Matched {
  const index = dataset.index;
  // Per ordinal: its entry when matched exactly, else -(its place among the rest + 2).
  const entries = new Int32Array(agg.size);
  const rows = new Array<number | null>(agg.size).fill(null);
  const seen = new Uint8Array(index.prompts);
  const pending: number[] = [];
  let exact = 0;
  agg.forEachKey((bytes, start, end, hash, ordinal) => {
    const e = index.entryOfRunKey(ordinal) ?? index.entryOfBytes(bytes, start, end, hash);
    if (e < 0) entries[ordinal] = -(pending.push(ordinal) - 1) - 2;
    else {
      entries[ordinal] = e;
      rows[ordinal] = index.firstRowOf(e);
      seen[e] = 1;
      exact++;
    }
  });
  const texts = pending.map((ordinal) => agg.keyOf(ordinal));
  const rest = matchPrompts(texts, texts, index, { byId: false, template: o.promptTemplate, seen });
  checkGivenTemplate(rest, texts, o.promptTemplate);
  pending.forEach((ordinal, j) => (rows[ordinal] = rest.rows[j]));
  // Distinct texts are distinct entries: a question matched twice is one entry marked twice.
  let questions = 0;
  for (let e = 0; e < seen.length; e++) questions += seen[e];
  const promptOf = (ordinal: number) => {
    const e = entries[ordinal];
    return e >= 0 ? index.promptOf(e) : rest.prompts[-e - 2];
  };
  return { m: { ...rest, prompts: [], rows, exact: exact + rest.exact }, shared: agg.size - rest.unmatched - questions, promptOf };
}

/** Matched prompts whose question an earlier matched prompt already has. */
function sharedTexts(prompts: readonly string[], rows: readonly (number | null)[]): number {
  const seen = new Set<string>();
  let n = 0;
  prompts.forEach((p, i) => {
    if (rows[i] === null) return;
    if (seen.has(p)) n++;
    else seen.add(p);
  });
  return n;
}

/** A template the user gave that matches none of the prompts left after exact text is a mistake, not a result. */
function checkGivenTemplate(m: MatchResult, texts: readonly string[], template: string | undefined): void {
  const given = m.templates.find((t) => !t.learned);
  if (template === undefined || !given || given.matched > 0 || m.unmatched === 0) return;
  const first = texts[m.rows.findIndex((row) => row === null)];
  const shown = JSON.stringify(first.length > 160 ? `${first.slice(0, 160)}…` : first);
  throw new IngestError(
    `--prompt-template matched none of the ${m.unmatched.toLocaleString("en-US")} log prompts that no dataset prompt equals; ` +
      `a logged prompt reads ${shown}. Check the template against it, or leave --prompt-template out to learn it from the log.`,
  );
}
