import type { Database, Statement } from "better-sqlite3";
import { getReader } from "./connection";
import type { SampleRecord } from "./types";

/**
 * Samples are read on the plain better-sqlite3 connection, not through the driver adapter:
 * this is the scoring hot path (the run page, `lim score`), and the adapter turned every
 * integer into a BigInt and back and copied each row once more (bench/db.ts). What is left
 * is mostly making one Buffer per steps blob (~1.1 KB per prompt at LIMR's 21 epochs) and
 * one string per prompt; batching the blobs into a few large reads measured no faster.
 */
const COLUMNS = `"ordinal", "prompt", "steps", "rolloutCount", "publishedScore", "datasetRowIndex"`;
const ALL = `SELECT ${COLUMNS} FROM "Sample" WHERE "runId" = ? ORDER BY "ordinal"`;
const ONE = `SELECT ${COLUMNS} FROM "Sample" WHERE "runId" = ? AND "ordinal" = ?`;

/** Every sample of a run, by ordinal: only the columns scoring needs. */
export async function loadSamples(runId: number): Promise<SampleRecord[]> {
  const rows = statement(await getReader(), ALL).all(runId) as unknown[][];
  const out: SampleRecord[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = toSample(rows[i]);
  return out;
}

export async function getSample(runId: number, ordinal: number): Promise<SampleRecord | null> {
  const row = statement(await getReader(), ONE).get(runId, ordinal) as unknown[] | undefined;
  return row ? toSample(row) : null;
}

/** Prepared once per connection (rows as arrays: no per-row key lookups). */
const prepared = new WeakMap<Database, Map<string, Statement>>();

function statement(db: Database, sql: string): Statement {
  let byText = prepared.get(db);
  if (!byText) prepared.set(db, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = db.prepare(sql).raw(true)));
  return stmt;
}

function toSample(r: unknown[]): SampleRecord {
  const steps = r[2] as Buffer;
  return {
    ordinal: r[0] as number,
    prompt: r[1] as string,
    // A plain Uint8Array over the Buffer's own memory (no copy), equal to what was written.
    steps: new Uint8Array(steps.buffer, steps.byteOffset, steps.byteLength),
    rolloutCount: r[3] as number,
    publishedScore: r[4] as number | null,
    datasetRowIndex: r[5] as number | null,
  };
}
