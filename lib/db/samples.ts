import type { Database, Statement } from "better-sqlite3";
import type { RunColumns } from "../lim/run-columns";
import { getReader } from "./connection";
import { readExamples } from "./example-blocks";
import { readRunColumns } from "./step-blocks";
import type { ExampleRecord, SampleRecord } from "./types";

/**
 * The reads behind scoring and a prompt's page: samples, a run's columns and its examples, on
 * the plain better-sqlite3 connection, not through the driver adapter (it turned every integer
 * into a BigInt and back and copied each row once more: bench/db.ts).
 */
const COLUMNS = `"ordinal", "prompt", "publishedScore", "datasetRowIndex"`;
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
  return { ordinal: r[0] as number, prompt: r[1] as string, publishedScore: r[2] as number | null, datasetRowIndex: r[3] as number | null };
}

/**
 * Every step of a run as columns (step-blocks.ts). Without sums (scoring), the per-record
 * reward and length sums are not read at all.
 */
export async function loadRunColumns(runId: number, promptCount: number, opts: { withSums?: boolean } = {}): Promise<RunColumns> {
  return readRunColumns(await getReader(), runId, promptCount, opts.withSums ?? false);
}

/** A sample's kept example rollouts, by step (then in the order ingest kept them). */
export async function getExamples(runId: number, ordinal: number): Promise<ExampleRecord[]> {
  return readExamples(await getReader(), runId, ordinal);
}
