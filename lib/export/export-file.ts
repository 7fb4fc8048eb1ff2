import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { StoredParquetSchema } from "../ingest/dataset/read-dataset-parquet";
import type { ScoredRun } from "../runs/score-run";
import { HashingSink, type ChunkSink } from "./chunk-sink";
import { exportLines, scoreFieldNames, type ExportOptions } from "./export-lines";
import { TOOL } from "./tool-version";
import { writeJson } from "./write-json";
import { writeJsonl } from "./write-jsonl";
import { writeParquet, type ParquetOptions } from "./write-parquet";

export const EXPORT_FORMATS = ["jsonl", "json", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

export interface ExportFileOptions extends ExportOptions {
  format: ExportFormat;
  /**
   * A file path (written beside it and renamed into place, so a failed export never leaves a
   * truncated file), or an open stream such as stdout or a web response body (left open: the
   * caller ends it).
   */
  out: string | Writable;
  /** The dataset's own Parquet schema and metadata; default: what a Parquet dataset import kept with the run. */
  parquet?: Pick<ParquetOptions, "schema" | "keyValueMetadata">;
}

export interface ExportResult {
  format: ExportFormat;
  rows: number;
  bytes: number;
  /** SHA-256 (hex) of exactly the bytes written. */
  sha256: string;
}

/**
 * The one entry point for writing a curated set (CLI and web): every format reads the rows
 * from exportLines, so selection follows the one rule (a method's selectPrompts, LIM's isSelected
 * by default) whatever the format.
 */
export async function exportFile(scored: ScoredRun, opts: ExportFileOptions): Promise<ExportResult> {
  const written = await writeOut(opts.out, (sink) => writeFormat(scored, opts, sink));
  return { format: opts.format, ...written };
}

/**
 * Writes through a hashing sink to a file path (beside it, then renamed into place, so a
 * failure never leaves a truncated file) or an open stream (left open). `write` returns the
 * rows it wrote.
 */
export async function writeOut(out: string | Writable, write: (sink: ChunkSink) => Promise<number>): Promise<Omit<ExportResult, "format">> {
  if (typeof out !== "string") {
    const sink = new HashingSink(out);
    const rows = await write(sink);
    return { rows, bytes: sink.bytes, sha256: sink.sha256() };
  }
  const partial = `${out}.partial-${process.pid}`;
  const file = createWriteStream(partial);
  try {
    const sink = new HashingSink(file);
    const rows = await write(sink);
    file.end();
    await finished(file);
    await rename(partial, out);
    return { rows, bytes: sink.bytes, sha256: sink.sha256() };
  } catch (e) {
    // The file opens asynchronously: an export that fails at once must wait for the stream
    // to open and close before removing the partial file, or the open re-creates it after.
    await new Promise<void>((resolve) => {
      if (file.closed) return resolve();
      file.once("close", () => resolve());
      file.destroy();
    });
    await rm(partial, { force: true });
    throw e;
  }
}

function writeFormat(scored: ScoredRun, opts: ExportFileOptions, sink: ChunkSink): Promise<number> {
  const lines = () => exportLines(scored, { threshold: opts.threshold, withScores: opts.withScores, selection: opts.selection, order: opts.order });
  switch (opts.format) {
    case "jsonl":
      return writeJsonl(lines(), sink);
    case "json":
      return writeJson(lines(), sink);
    case "parquet":
      return writeParquet(lines, sink, {
        ...(opts.parquet ?? storedParquetSchema(scored.run.datasetSchema)),
        doubleColumns: scoreFieldNames(scored, opts),
        fallbackColumn: scored.run.datasetFile === null ? "prompt" : scored.run.promptField,
        createdBy: `${TOOL.name} ${TOOL.version}`,
      });
  }
}

/** The schema a Parquet dataset import kept with the run (read-dataset-parquet.ts), if any. */
function storedParquetSchema(json: string | null): ExportFileOptions["parquet"] {
  if (json === null) return undefined;
  const stored = JSON.parse(json) as StoredParquetSchema;
  return { schema: stored.schema, keyValueMetadata: stored.keyValueMetadata };
}
