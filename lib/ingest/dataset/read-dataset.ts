import { createReadStream, statSync } from "node:fs";
import { extname } from "node:path";
import type { DatasetFormat } from "../../db/types";
import { RowKeyer } from "../formats/dataset-prompt";
import type { DatasetInfo, DatasetReadContext, DatasetRow, ReadDatasetOptions } from "./dataset-rows";
import { IngestError } from "../errors";
import { readCsvDataset } from "./read-dataset-csv";
import { readParquetDataset } from "./read-dataset-parquet";
import { JsonRowSplitter, type RawRow } from "../scan/split-json-rows";
import { fieldName, findStringFault } from "../scan/json-fault";

export type { DatasetInfo, DatasetReadContext, DatasetRow, ReadDatasetOptions } from "./dataset-rows";

const EXTENSIONS: Record<string, DatasetFormat> = { ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet" };

/** The format named, else the extension's; unknown extensions are read as JSON (array or lines, by content). */
export function datasetFormatOf(file: string, given?: DatasetFormat): DatasetFormat {
  return given ?? EXTENSIONS[extname(file).toLowerCase()] ?? "json";
}

/**
 * Streams a dataset file as batches of rows: every row is kept, including rows that repeat a
 * prompt (the reference exports them all). JSON and JSON Lines rows keep their source text;
 * CSV rows become an object of their columns as strings; Parquet rows an object of their
 * values, written losslessly (see parquet-row-json.ts).
 */
export async function* readDatasetRows(o: ReadDatasetOptions): AsyncGenerator<DatasetRow[]> {
  let totalBytes: number;
  try {
    const st = statSync(o.file);
    if (!st.isFile()) throw new Error("not a file");
    totalBytes = st.size;
  } catch {
    throw new IngestError(`${o.file}: dataset file not found`, o.file);
  }
  const info = o.info ?? {};
  const format = datasetFormatOf(o.file, o.format);
  info.format = format;
  const keyer = new RowKeyer({ promptField: o.promptField ?? "prompt", promptFlag: o.promptFlag, idFields: o.idFields }, (f) => (info.idField = f));
  const c: DatasetReadContext = { file: o.file, keyer, batchSize: o.batchSize ?? 2000, totalBytes, o };
  if (format === "csv") yield* readCsvDataset(c);
  else if (format === "parquet") yield* readParquetDataset(c, info);
  else yield* readJsonDataset(c, info);
}

/** Parses one raw JSON row: a clear error for bad JSON, a non-object, a missing / ill-typed prompt or id. */
export function datasetRow(file: string, raw: RawRow, keyer: RowKeyer): DatasetRow {
  const detail = ` (line ${raw.line}, byte ${raw.offset})`;
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (e) {
    // A raw control character in a string: JSON.parse says where, not in which field.
    const f = findStringFault(Buffer.from(raw.text, "utf8"));
    const field = f ? fieldName(f.path) : "";
    if (f) throw new IngestError(`${file}: row ${raw.rowIndex}${detail}: ${field ? `field "${field}"` : "a string"} ${f.what}`, file, raw.rowIndex, raw.offset, field || undefined);
    throw new IngestError(`${file}: row ${raw.rowIndex}${detail}: malformed JSON: ${(e as Error).message}`, file, raw.rowIndex, raw.offset);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const what = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new IngestError(`${file}: row ${raw.rowIndex}${detail}: expected an object, found ${what}`, file, raw.rowIndex, raw.offset);
  }
  const { prompt, id } = keyer.keys(value, { file, rowIndex: raw.rowIndex, detail, offset: raw.offset });
  const row: DatasetRow = { rowIndex: raw.rowIndex, prompt, json: raw.text };
  if (id !== undefined) row.id = id;
  return row;
}

async function* readJsonDataset(c: DatasetReadContext, info: DatasetInfo): AsyncGenerator<DatasetRow[]> {
  let batch: DatasetRow[] = [];
  const splitter = new JsonRowSplitter(c.file, (raw) => batch.push(datasetRow(c.file, raw, c.keyer)));
  let read = 0;
  let first: number | undefined; // the first byte that is not white space (or a byte order mark): "[" for an array
  for await (const chunk of createReadStream(c.file, { highWaterMark: 1 << 20 })) {
    if (first === undefined) first = (chunk as Buffer).find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    splitter.push(chunk as Buffer);
    read += (chunk as Buffer).length;
    c.o.onBytes?.(read, c.totalBytes);
    if (batch.length >= c.batchSize) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  // What the file holds, whatever its name: an array or one object per line.
  info.format = first === 0x5b ? "json" : "jsonl";
  if (batch.length > 0) yield batch;
}
