import { createReadStream, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "csv-parse";
import { promptText } from "./dataset-prompt";
import { IngestError, statGiven } from "../errors";
import { describeValue, keysOf, valueAt } from "./field-path";
import type { StepFile, StepFileListing } from "./list-step-files";
import { fieldError, idOf, mustBeNumber, numberOf, numberOfText, successOf, textNumberHint, type LogFields, type RowAt } from "./log-fields";
import { checkCsvHeader } from "./csv-header";
import { readLineBytes, Utf8Guard } from "./input-text";
import { parseJsonBytes, parseJsonText } from "./json-text";
import { JsonRowSplitter, type RawRow } from "../scan/split-json-rows";
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

/** JSON objects of a JSONL file, streamed line by line (a NeMo-RL line carries every token id: files get big); blank lines skipped. */
export async function* jsonlRows(path: string): AsyncGenerator<Row> {
  for await (const { bytes, lineNo, size } of readLineBytes(path)) {
    if (isBlank(bytes)) continue;
    const at: RowAt = { file: path, where: `${path}:${lineNo}`, index: lineNo - 1 };
    const value = parseJsonBytes(bytes, at);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new IngestError(`${at.where}: expected a JSON object per line, got ${describeValue(value)}`, path, lineNo - 1);
    yield { value, at, bytes: size };
  }
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d) return false;
  return true;
}

async function* csvRows(path: string): AsyncGenerator<Row> {
  const header = (names: string[]) => {
    checkCsvHeader(path, names);
    return names;
  };
  const input = createReadStream(path);
  const guard = new Utf8Guard(path);
  const parser = input.pipe(guard).pipe(parse({ columns: header, bom: true, skip_empty_lines: true, info: true }));
  input.on("error", (e) => guard.destroy(e));
  guard.on("error", (e) => parser.destroy(e));
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

function genericRecord(row: Row, fields: LogFields | undefined, kind: GenericKind): { step: number; record: RolloutRecord } {
  const n = names(fields);
  // Every CSV cell is text; a JSONL value has its type, and "1.0" is text, not a number.
  const number = kind === "csv" ? numberOfText : numberOf;
  const v = row.value;
  const need = (field: string, flag: string) => {
    const x = valueAt(v, field);
    // An empty CSV cell is a missing value; an empty JSON string is a value (as in every other reader).
    if (x === undefined || (kind === "csv" && x === "")) throw fieldError(row.at, field, `is missing (${flag}; the row has: ${keysOf(v)})`);
    return x;
  };
  const rawPrompt = need(n.prompt, "--prompt-field");
  const prompt = promptText(rawPrompt);
  if (prompt === null) throw fieldError(row.at, n.prompt, `is ${describeValue(rawPrompt)}, expected a string or a list of chat messages with a user message`);
  const rawStep = need(n.step, "--step-field");
  const step = number(rawStep);
  if (step === null || !Number.isInteger(step) || step < 1) throw fieldError(row.at, n.step, `must be an integer >= 1 (epoch k holds steps (k-1)*S+1 .. k*S), got ${describeValue(rawStep)}${textNumberHint(rawStep)}`);
  const rawReward = need(n.reward, "--reward-field");
  const reward = number(rawReward);
  if (reward === null) throw fieldError(row.at, n.reward, mustBeNumber(rawReward));
  const rawResponse = valueAt(v, n.response);
  if (rawResponse === undefined && n.responseGiven) throw fieldError(row.at, n.response, `is missing (--response-field; the row has: ${keysOf(v)})`);
  if (rawResponse !== undefined && rawResponse !== null && typeof rawResponse !== "string") throw fieldError(row.at, n.response, `is ${describeValue(rawResponse)}, expected a string`);
  const response = (rawResponse as string | null | undefined) ?? "";
  const success = successOf(v, fields, row.at, kind === "csv"); // absent: the reader's rule, reward >= R
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
        const { step, record } = genericRecord(row, o.fields, kind);
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
    const records: RolloutRecord[] = [];
    for await (const { value, at } of stepFileElements(f.path)) {
      const r = openRlhfRecord(value, at);
      if (o.keepExamples === 0) r.response = "";
      r.id = idOf(value, o.fields, at);
      r.success = successOf(value, o.fields, at);
      records.push(r);
    }
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "equals" as const, successField: o.fields?.success, keepExamples: examplesAt(o, f.step), bytes: f.bytes };
    yield packStepBatch(batchFromRecords(records, opts));
  }
}

/**
 * The elements of a step_N.json array, split from its bytes as they are read (a step file of
 * any size, where JSON.parse of the whole text stops at V8's ~512 MB string), each parsed
 * alone by the text rules.
 */
async function* stepFileElements(path: string): AsyncGenerator<{ value: unknown; at: RowAt }> {
  const rows: RawRow[] = [];
  const splitter = new JsonRowSplitter(path, (raw) => rows.push(raw), { arrayOnly: true, unit: "element" });
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    splitter.push(chunk);
    for (const raw of rows.splice(0)) {
      const at: RowAt = { file: path, where: `${path}: element ${raw.rowIndex} (line ${raw.line})`, index: raw.rowIndex };
      yield { value: parseJsonText(raw.text, at), at };
    }
  }
  splitter.end();
}

/** One rollout object, checked field by field as the byte scanner checks it. */
function openRlhfRecord(v: unknown, at: RowAt): RolloutRecord {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new IngestError(`${at.where}: expected an object, found ${describeValue(v)}`, at.file, at.index);
  const r = v as Record<string, unknown>;
  for (const field of ["prompt", "response", "reward", "response_length"]) {
    if (!(field in r)) throw fieldError(at, field, "is missing");
  }
  if (typeof r.prompt !== "string") throw fieldError(at, "prompt", `is ${describeValue(r.prompt)}, expected a string`);
  if (typeof r.response !== "string") throw fieldError(at, "response", `is ${describeValue(r.response)}, expected a string`);
  // 1e999 parses to Infinity: refused here, as the byte scanner refuses it.
  if (typeof r.reward !== "number" || !Number.isFinite(r.reward)) throw fieldError(at, "reward", mustBeNumber(r.reward));
  const length = r.response_length;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
    throw fieldError(at, "response_length", `must be an integer >= 0, got ${describeValue(length)}${textNumberHint(length)}`);
  }
  return { prompt: r.prompt, response: r.response, reward: r.reward, responseLength: length };
}
