import { createReadStream, statSync } from "node:fs";
import type { DatasetRowRecord } from "../db/types";
import { IngestError } from "./errors";
import { JsonRowSplitter, type RawRow } from "./split-json-rows";
import { trimPrompt } from "./trim-prompt";

export interface ReadDatasetOptions {
  file: string;
  /** Top-level field holding the prompt text (default "prompt"). */
  promptField?: string;
  /** Rows per yielded batch. */
  batchSize?: number;
  onBytes?: (bytesRead: number, totalBytes: number) => void;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Parses one raw row: a clear error for bad JSON, a non-object, or a missing / non-string prompt. */
export function datasetRow(file: string, raw: RawRow, promptField: string): DatasetRowRecord {
  const where = `${file}: row ${raw.rowIndex} (line ${raw.line}, byte ${raw.offset})`;
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (e) {
    throw new IngestError(`${where}: malformed JSON: ${(e as Error).message}`, file, raw.rowIndex, raw.offset);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new IngestError(`${where}: expected an object, found ${describe(value)}`, file, raw.rowIndex, raw.offset);
  }
  if (!Object.prototype.hasOwnProperty.call(value, promptField)) {
    throw new IngestError(`${where}: missing field "${promptField}" (choose another with --prompt-field)`, file, raw.rowIndex, raw.offset, promptField);
  }
  const prompt = (value as Record<string, unknown>)[promptField];
  if (typeof prompt !== "string") {
    throw new IngestError(`${where}: field "${promptField}" is ${describe(prompt)}, expected a string`, file, raw.rowIndex, raw.offset, promptField);
  }
  return { rowIndex: raw.rowIndex, prompt: trimPrompt(prompt), json: raw.text };
}

/**
 * Streams a dataset file (a JSON array of objects, or JSON Lines) as batches of rows:
 * every row is kept, including rows that repeat a prompt (the reference exports them all).
 */
export async function* readDatasetRows(o: ReadDatasetOptions): AsyncGenerator<DatasetRowRecord[]> {
  const field = o.promptField ?? "prompt";
  const batchSize = o.batchSize ?? 2000;
  let total: number;
  try {
    const st = statSync(o.file);
    if (!st.isFile()) throw new Error("not a file");
    total = st.size;
  } catch {
    throw new IngestError(`${o.file}: dataset file not found`, o.file);
  }
  let batch: DatasetRowRecord[] = [];
  const splitter = new JsonRowSplitter(o.file, (raw) => batch.push(datasetRow(o.file, raw, field)));
  let read = 0;
  for await (const chunk of createReadStream(o.file, { highWaterMark: 1 << 20 })) {
    splitter.push(chunk as Buffer);
    read += (chunk as Buffer).length;
    o.onBytes?.(read, total);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length > 0) yield batch;
}
