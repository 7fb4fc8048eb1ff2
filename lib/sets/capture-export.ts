import { createDeflate } from "node:zlib";
import { exportFile, type ExportFileOptions, type ExportResult } from "../export/export-file";
import type { ScoredRun } from "../runs/score-run";

/** Deflated bytes are stored in chunks of at most this size (SQLite caps one value at 1 GB). */
export const CHUNK_BYTES = 8 << 20;

export interface CapturedExport {
  /** What exportFile reports: rows, bytes and the SHA-256 of the export's own bytes. */
  result: ExportResult;
  /** Those bytes deflated, in chunks of at most CHUNK_BYTES. */
  chunks: Buffer[];
}

/**
 * Runs the one export (exportFile, exactly what `lim export` runs) into a deflate stream, so
 * what a set stores is `lim export`'s bytes by construction and memory holds them deflated.
 */
export async function captureExport(scored: ScoredRun, opts: Omit<ExportFileOptions, "out">): Promise<CapturedExport> {
  const deflate = createDeflate({ level: 6 });
  const parts: Buffer[] = [];
  deflate.on("data", (d: Buffer) => parts.push(d));
  const ended = new Promise<void>((resolve, reject) => {
    deflate.once("end", resolve);
    deflate.once("error", reject);
  });
  let result: ExportResult;
  try {
    result = await exportFile(scored, { ...opts, out: deflate });
  } catch (e) {
    deflate.destroy();
    throw e;
  }
  deflate.end();
  await ended;
  return { result, chunks: rechunk(parts, CHUNK_BYTES) };
}

function rechunk(parts: Buffer[], size: number): Buffer[] {
  const all = Buffer.concat(parts);
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += size) out.push(all.subarray(at, at + size));
  return out.length ? out : [Buffer.alloc(0)];
}
