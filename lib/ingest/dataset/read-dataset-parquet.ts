import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData, type KeyValue, type SchemaElement } from "hyparquet";
import { IngestError } from "../errors";
import { PARSERS, parquetRowJson } from "./parquet-row-json";
import { refuseInvalidText, strictTextParsers } from "../formats/parquet-text";
import type { DatasetInfo, DatasetReadContext, DatasetRow } from "./dataset-rows";

/** What run.datasetSchema holds for a Parquet dataset: enough to write the same file layout back. */
export interface StoredParquetSchema {
  schema: SchemaElement[];
  keyValueMetadata?: KeyValue[];
}

/** JSON of a schema; BigInt fields (none today, but the type allows them) as numbers. */
export function parquetSchemaJson(s: StoredParquetSchema): string {
  return JSON.stringify(s, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
}

/**
 * A Parquet dataset (verl's: `prompt` a list of chat messages, `data_source`, `ability`,
 * `reward_model {style, ground_truth}`, `extra_info {index, ...}`), read one row group at a
 * time so memory stays bounded. Rows are kept as lossless JSON (parquet-row-json.ts) and the
 * file's schema goes to info.schema, so a Parquet export writes the dataset's own types.
 */
export async function* readParquetDataset(c: DatasetReadContext, info: DatasetInfo): AsyncGenerator<DatasetRow[]> {
  const { file } = c;
  let metadata: FileMetaData;
  let buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  try {
    buffer = await asyncBufferFromFile(file);
    const magic = async (at: number) => new TextDecoder().decode(await buffer.slice(at, at + 4));
    if (buffer.byteLength < 12 || (await magic(0)) !== "PAR1" || (await magic(buffer.byteLength - 4)) !== "PAR1") throw new Error("it does not start and end with PAR1");
    metadata = await parquetMetadataAsync(buffer, { geoparquet: false });
  } catch (e) {
    throw new IngestError(`${file}: not a readable Parquet file (${(e as Error).message})`, file);
  }
  info.schema = parquetSchemaJson({ schema: metadata.schema, keyValueMetadata: metadata.key_value_metadata });
  const root = parquetSchema(metadata);
  const promptColumn = (c.o.promptField ?? "prompt").split(".")[0];
  if (!root.children.some((t) => t.element.name === promptColumn)) {
    const columns = root.children.map((t) => t.element.name).join(", ");
    throw new IngestError(`${file}: no column "${promptColumn}" (columns: ${columns}); choose another with ${c.o.promptFlag ?? "--prompt-field"}`, file, undefined, undefined, promptColumn);
  }
  let rowIndex = 0;
  let bytesDone = 0;
  const text = strictTextParsers();
  for (const group of metadata.row_groups) {
    const rowStart = rowIndex;
    const rowEnd = rowStart + Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, utf8: false, parsers: { ...PARSERS, ...text.parsers }, geoparquet: false });
    } catch (e) {
      throw new IngestError(`${file}: rows ${rowStart}-${rowEnd - 1}: cannot be read (${(e as Error).message})`, file, rowStart);
    }
    if (text.sawInvalid()) refuseInvalidText(objects, file, rowStart, (i) => `row ${i}`);
    const batch: DatasetRow[] = [];
    for (const value of objects) {
      const { prompt, id } = c.keyer.keys(value, { file, rowIndex });
      const row: DatasetRow = { rowIndex: rowIndex++, prompt, json: parquetRowJson(root, value) };
      if (id !== undefined) row.id = id;
      batch.push(row);
    }
    bytesDone += Number(group.total_compressed_size ?? group.total_byte_size);
    c.o.onBytes?.(Math.min(bytesDone, c.totalBytes), c.totalBytes);
    // A row group may hold far more rows than a batch: hand them over in batch-size slices.
    for (let i = 0; i < batch.length; i += c.batchSize) yield batch.slice(i, i + c.batchSize);
  }
}
