import type { DatasetFormat, DatasetRowRecord } from "../../db/types";
import type { RowKeyer } from "../formats/dataset-prompt";

// What every dataset reader shares: read-dataset.ts and the CSV / Parquet readers it calls.

export interface ReadDatasetOptions {
  file: string;
  /** Default: from the file's extension (.json, .jsonl/.ndjson, .csv, .parquet); JSON vs JSON Lines by content. */
  format?: DatasetFormat;
  /** Field (dotted path) holding the prompt: text, or a list of chat messages (default "prompt"). */
  promptField?: string;
  /** The flag that chooses another prompt field, named in errors (default --prompt-field). */
  promptFlag?: string;
  /** Identity by id: candidate id fields, the first one the first row holds is used (see RowKeyer). */
  idFields?: readonly string[];
  /** Rows per yielded batch. */
  batchSize?: number;
  onBytes?: (bytesRead: number, totalBytes: number) => void;
  /** Filled in while reading: what was found. */
  info?: DatasetInfo;
}

export interface DatasetInfo {
  format?: DatasetFormat;
  /** The id field used, with idFields. */
  idField?: string | null;
  /** A Parquet file's schema and key-value metadata, as JSON (see parquetSchemaJson). */
  schema?: string | null;
}

/** A dataset row with its id when prompts are identified by id. */
export interface DatasetRow extends DatasetRowRecord {
  id?: string;
}

/** Shared by every format's reader. */
export interface DatasetReadContext {
  file: string;
  keyer: RowKeyer;
  batchSize: number;
  totalBytes: number;
  o: ReadDatasetOptions;
}
