import type { KeyValue, SchemaElement } from "hyparquet";
import { parquetWriteRows } from "hyparquet-writer";
import type { ChunkSink } from "./chunk-sink";
import { parseTyped, type TypedObject } from "./json-typed";
import { SinkWriter } from "./parquet-sink-writer";
import { SchemaInferrer, topLevelNames, withDoubleColumns } from "./parquet-schema";
import { normalizeSchema, RowConformer } from "./parquet-values";

export interface ParquetOptions {
  /**
   * The dataset's own Parquet schema, handed over by a Parquet dataset import so the export
   * keeps it exactly. Without it the schema is derived from the rows (see parquet-schema.ts).
   */
  schema?: SchemaElement[];
  /** The dataset file's key-value metadata, written back unchanged (with `schema` only). */
  keyValueMetadata?: KeyValue[];
  /** Columns that are floats whatever their spelling (lim_score); added to a given schema. */
  doubleColumns?: string[];
  /** The one column of a file with no rows and no schema (the run's prompt field). */
  fallbackColumn: string;
  /** Written into the file footer, e.g. "lim-studio 0.1.0". */
  createdBy: string;
  rowGroupSize?: number;
}

/**
 * Metadata that lists the file's columns (pyarrow's Arrow schema, pandas' column list): kept
 * when the columns are the dataset's, dropped when the export adds one (lim_score), since a
 * reader trusting it would then disagree with the file.
 */
const COLUMN_METADATA = new Set(["ARROW:schema", "pandas"]);

/** Rows per row group: bounds memory (one group of rows and its encoded pages at a time). */
export const ROW_GROUP_SIZE = 10_000;

/**
 * Writes JSON rows (the export's JSONL lines) as Parquet. `lines` is called once to derive the
 * schema when none is given, then once more to write: two streamed passes, so memory stays at
 * one row group (ROW_GROUP_SIZE rows) plus the 1 MB output buffer, whatever the row count.
 */
export async function writeParquet(lines: () => AsyncIterable<string>, sink: ChunkSink, opts: ParquetOptions): Promise<number> {
  const doubles = opts.doubleColumns ?? [];
  let schema: SchemaElement[];
  let kvMetadata: KeyValue[] | undefined;
  if (opts.schema) {
    const given = normalizeSchema(opts.schema);
    schema = withDoubleColumns(given, doubles);
    kvMetadata = schema === given ? opts.keyValueMetadata : opts.keyValueMetadata?.filter((kv) => !COLUMN_METADATA.has(kv.key));
  } else {
    const inferrer = new SchemaInferrer();
    let n = 0;
    for await (const line of lines()) inferrer.add(parseRow(line, ++n));
    schema = inferrer.schema({ doubleColumns: doubles, fallbackColumn: opts.fallbackColumn });
  }
  const conformer = new RowConformer(schema);
  let rows = 0;
  async function* objects() {
    for await (const line of lines()) {
      rows++;
      yield conformer.row(parseRow(line, rows), rows);
    }
  }
  await parquetWriteRows({
    writer: new SinkWriter(sink),
    rows: objects(),
    columns: topLevelNames(schema).map((name) => ({ name })),
    schema,
    rowGroupSize: opts.rowGroupSize ?? ROW_GROUP_SIZE,
    createdBy: opts.createdBy,
    kvMetadata,
  });
  return rows;
}

function parseRow(line: string, rowNumber: number): TypedObject {
  const v = parseTyped(line);
  if (!(v instanceof Map)) throw new Error(`exported row ${rowNumber} is not a JSON object`);
  return v;
}
