import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { promptText } from "./dataset-prompt";
import { IngestError, statGiven } from "../errors";
import { describeValue, keysOf, valueAt } from "./field-path";
import type { StepFile, StepFileListing } from "./list-step-files";
import { fieldError, idOf, numberOf, successOf, type LogFields, type RowAt } from "./log-fields";
import { packStepBatch, type PackedStepBatch } from "../scan/pack-step-batch";
import type { ReadStepsOptions } from "./read-openrlhf";
import { examplesAt } from "./read-openrlhf";
import { batchFromRecords, type RolloutRecord } from "../scan/record";

/**
 * Plain rollout logs a user exported themselves: JSONL (one object per line) or CSV (a header
 * row), one row per rollout, in one file or a directory of files. Steps come from a field,
 * not from file names, so rows are grouped by step and handed over in step order.
 */
export type GenericKind = "jsonl" | "csv";

/** The file itself, or every .jsonl/.csv file of a directory (in natural name order). */
export function listGenericFiles(path: string, kind: GenericKind): StepFileListing {
  const root = resolve(path);
  const st = statGiven(path, root);
  let paths: string[];
  if (st.isDirectory()) {
    const names = readdirSync(root).filter((n) => n.toLowerCase().endsWith(`.${kind}`) && statSync(join(root, n)).isFile());
    if (names.length === 0) throw new IngestError(`${path}: no .${kind} files found`, path);
    paths = names.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).map((n) => join(root, n));
  } else paths = [root];
  // Each file is one entry; its number is its place in the list (steps are read from the rows).
  const files: StepFile[] = paths.map((p, i) => ({ step: i + 1, path: p, bytes: statSync(p).size }));
  return { dir: st.isDirectory() ? root : resolve(root, ".."), files, totalBytes: files.reduce((s, f) => s + f.bytes, 0), warnings: [], notes: [] };
}

/** One row of a text file: the parsed value, where it is, and its size in bytes. */
interface Row {
  value: unknown;
  at: RowAt;
  bytes: number;
}

/** Lines of a text file, streamed (a NeMo-RL line carries every token id: files get big). */
export async function* readLines(path: string): AsyncGenerator<{ text: string; lineNo: number; bytes: number }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    yield { text, lineNo, bytes: Buffer.byteLength(text) + 1 };
  }
}

/** JSON objects of a JSONL file, blank lines skipped. */
export async function* jsonlRows(path: string): AsyncGenerator<Row> {
  for await (const { text, lineNo, bytes } of readLines(path)) {
    if (text.trim() === "") continue;
    const at: RowAt = { file: path, where: `${path}:${lineNo}`, index: lineNo - 1 };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new IngestError(`${at.where}: not valid JSON (${(e as Error).message})`, path, lineNo - 1);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new IngestError(`${at.where}: expected a JSON object per line, got ${describeValue(value)}`, path, lineNo - 1);
    yield { value, at, bytes };
  }
}

async function* csvRows(path: string): AsyncGenerator<Row> {
  // A column named twice would silently pick one of them: refused, naming the column.
  const header = (names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new IngestError(`${path}:1: column "${n}" appears twice in the header`, path, 0, undefined, n);
      seen.add(n);
    }
    return names;
  };
  const parser = createReadStream(path).pipe(parse({ columns: header, bom: true, skip_empty_lines: true, info: true }));
  let read = 0;
  try {
    for await (const r of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number; records: number } }>) {
      const bytes = r.info.bytes - read;
      read = r.info.bytes;
      // The header is line 1: record k ends on line info.lines.
      yield { value: r.record, at: { file: path, where: `${path}:${r.info.lines}`, index: r.info.lines - 1 }, bytes };
    }
  } catch (e) {
    if (e instanceof IngestError) throw e;
    throw new IngestError(`${path}: not valid CSV (${(e as Error).message})`, path);
  }
}

/** The log's field names with their defaults. */
function names(f: LogFields | undefined) {
  return { prompt: f?.prompt ?? "prompt", step: f?.step ?? "step", reward: f?.reward ?? "reward", response: f?.response ?? "response", responseGiven: f?.response !== undefined };
}

function genericRecord(row: Row, fields: LogFields | undefined): { step: number; record: RolloutRecord } {
  const n = names(fields);
  const v = row.value;
  const need = (field: string, flag: string) => {
    const x = valueAt(v, field);
    if (x === undefined || x === "") throw fieldError(row.at, field, `is missing (${flag}; the row has: ${keysOf(v)})`);
    return x;
  };
  const rawPrompt = need(n.prompt, "--prompt-field");
  const prompt = promptText(rawPrompt);
  if (prompt === null) throw fieldError(row.at, n.prompt, `is ${describeValue(rawPrompt)}, expected a string or a list of chat messages with a user message`);
  const rawStep = need(n.step, "--step-field");
  const step = numberOf(rawStep);
  if (step === null || !Number.isInteger(step) || step < 1) throw fieldError(row.at, n.step, `must be an integer >= 1 (epoch k holds steps (k-1)*S+1 .. k*S), got ${describeValue(rawStep)}`);
  const rawReward = need(n.reward, "--reward-field");
  const reward = numberOf(rawReward);
  if (reward === null) throw fieldError(row.at, n.reward, `must be a finite number, got ${describeValue(rawReward)}`);
  const rawResponse = valueAt(v, n.response);
  if (rawResponse === undefined && n.responseGiven) throw fieldError(row.at, n.response, `is missing (--response-field; the row has: ${keysOf(v)})`);
  if (rawResponse !== undefined && rawResponse !== null && typeof rawResponse !== "string") throw fieldError(row.at, n.response, `is ${describeValue(rawResponse)}, expected a string`);
  const response = (rawResponse as string | null | undefined) ?? "";
  const success = successOf(v, fields, row.at); // absent: the reader's rule, reward >= R
  return { step, record: { prompt, id: idOf(v, fields, row.at), response, reward, responseLength: response.length, success } };
}

/**
 * Generic rows -> packed StepBatches in step order. Every row is held until the end (a step's
 * rows may be spread over files); without examples to keep, responses are dropped at once.
 */
export function readGenericSteps(kind: GenericKind) {
  return async function* (files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
    const steps = new Map<number, { records: RolloutRecord[]; bytes: number; file: string }>();
    let counted = 0;
    for (const f of files) {
      for await (const row of kind === "csv" ? csvRows(f.path) : jsonlRows(f.path)) {
        const { step, record } = genericRecord(row, o.fields);
        if (o.keepExamples === 0) record.response = "";
        let s = steps.get(step);
        if (!s) steps.set(step, (s = { records: [], bytes: 0, file: f.path }));
        s.records.push(record);
        s.bytes += row.bytes;
        counted += row.bytes;
      }
    }
    if (steps.size === 0) throw new IngestError(`${files.map((f) => f.path).join(", ")}: no rows to read`, files[0]?.path);
    const order = [...steps.keys()].sort((a, b) => a - b);
    // Header rows and blank lines belong to no step: count them with the first, so the run's bytes are the files'.
    const rest = files.reduce((a, f) => a + f.bytes, 0) - counted;
    for (const [i, step] of order.entries()) {
      const s = steps.get(step)!;
      steps.delete(step);
      const opts = { step, file: s.file, successReward: o.successReward, successRule: "at-least" as const, successField: o.fields?.success, keepExamples: examplesAt(o, step), bytes: s.bytes + (i === 0 ? rest : 0) };
      yield packStepBatch(batchFromRecords(s.records, opts));
      await new Promise((r) => setImmediate(r));
    }
  };
}

/**
 * OpenRLHF step_N.json files read record by record, for what the byte scanner does not look
 * at: a stable id (--id-field) or a success flag (--success-field) in each rollout object.
 * Success is otherwise reward === the success reward, as the scanner counts it.
 */
export async function* readOpenRlhfRecordSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  for (const f of files) {
    let rows: unknown;
    try {
      rows = JSON.parse(readFileSync(f.path, "utf8"));
    } catch (e) {
      throw new IngestError(`${f.path}: not valid JSON (${(e as Error).message})`, f.path);
    }
    if (!Array.isArray(rows)) throw new IngestError(`${f.path}: expected a JSON array of rollouts, got ${describeValue(rows)}`, f.path);
    const records = rows.map((v: unknown, i): RolloutRecord => {
      const at: RowAt = { file: f.path, where: `${f.path}: element ${i}`, index: i };
      const r = (v ?? {}) as Record<string, unknown>;
      if (typeof r.prompt !== "string") throw fieldError(at, "prompt", `is ${describeValue(r.prompt)}, expected a string`);
      if (typeof r.reward !== "number") throw fieldError(at, "reward", `is ${describeValue(r.reward)}, expected a number`);
      // 1e999 parses to Infinity: refused here, as the byte scanner refuses it.
      if (!Number.isFinite(r.reward)) throw fieldError(at, "reward", `must be a finite number, got ${r.reward}`);
      const response = typeof r.response === "string" && o.keepExamples > 0 ? r.response : "";
      const rawLength = r.response_length;
      if (rawLength !== undefined && (typeof rawLength !== "number" || !Number.isInteger(rawLength) || rawLength < 0)) {
        throw fieldError(at, "response_length", `must be an integer >= 0, got ${describeValue(rawLength)}`);
      }
      const length = rawLength ?? response.length;
      return { prompt: r.prompt, id: idOf(r, o.fields, at), response, reward: r.reward, responseLength: length, success: successOf(r, o.fields, at) };
    });
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "equals" as const, successField: o.fields?.success, keepExamples: examplesAt(o, f.step), bytes: f.bytes };
    yield packStepBatch(batchFromRecords(records, opts));
  }
}
