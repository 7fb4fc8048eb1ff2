import { deflateSync, inflateSync } from "node:zlib";
import type { Database } from "better-sqlite3";
import { RunColumnsBuilder, type RunColumns, type StepBlock } from "../lim/run-columns";
import { decodeStepBlock, encodeStepBlock } from "../lim/step-block-bytes";

/**
 * A run's step blocks in the database: one row per step, its two byte parts deflated
 * (level 1: ordinal deltas, small counts and a few distinct rewards shrink ~5-20x at a
 * fraction of the scan's time). Loading a run is one query over these rows, each inflated
 * straight into the run's columns.
 */
const LEVEL = 1;

export interface StepBlockRow {
  step: number;
  records: number;
  entries: number;
  counts: Buffer;
  sums: Buffer;
}

export function stepBlockRow(b: StepBlock): StepBlockRow {
  const { counts, sums } = encodeStepBlock(b);
  return { step: b.step, records: b.ordinal.length, entries: b.rewardValue.length, counts: deflateSync(counts, { level: LEVEL }), sums: deflateSync(sums, { level: LEVEL }) };
}

/** Inserts blocks after the run's last one (a watched run keeps growing). */
export class StepBlockInserter {
  private readonly insert;
  private next: number;

  constructor(db: Database, private readonly runId: number) {
    this.insert = db.prepare(`INSERT INTO "StepBlock" ("runId", "seq", "step", "records", "entries", "counts", "sums") VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const row = db.prepare(`SELECT COALESCE(MAX("seq") + 1, 0) FROM "StepBlock" WHERE "runId" = ?`).raw().get(runId) as [number];
    this.next = row[0];
  }

  /** The largest prompt ordinal any block added names (-1: none); checked against the samples at commit. */
  maxOrdinal = -1;

  add(b: StepBlock): void {
    const r = stepBlockRow(b);
    const n = b.ordinal.length;
    if (n > 0 && b.ordinal[n - 1] > this.maxOrdinal) this.maxOrdinal = b.ordinal[n - 1];
    this.insert.run(this.runId, this.next++, r.step, r.records, r.entries, r.counts, r.sums);
  }

  /** Refuses a run whose blocks name a prompt it has no sample for (samples may come after blocks, so this runs last). */
  checkOrdinals(samples: number, what: string): void {
    if (this.maxOrdinal < 0) return;
    if (this.maxOrdinal >= samples) throw new Error(`${what}: a step block names prompt ordinal ${this.maxOrdinal}, but the run has ${samples} prompts`);
  }
}

/**
 * Every step of a run as columns, on `db`. Without sums (scoring), the per-record reward and
 * length sums are not read at all.
 */
export function readRunColumns(db: Database, runId: number, promptCount: number, withSums: boolean): RunColumns {
  const sizes = db.prepare(`SELECT "records", "entries" FROM "StepBlock" WHERE "runId" = ? ORDER BY "seq"`).raw().all(runId) as [number, number][];
  const builder = new RunColumnsBuilder(promptCount, sizes.map(([records, entries]) => ({ records, entries })), withSums);
  const sql = withSums
    ? `SELECT "counts", "sums" FROM "StepBlock" WHERE "runId" = ? ORDER BY "seq"`
    : `SELECT "counts" FROM "StepBlock" WHERE "runId" = ? ORDER BY "seq"`;
  // One row at a time: a million-prompt run never holds all its compressed blocks at once.
  for (const row of db.prepare(sql).raw().iterate(runId) as Iterable<Buffer[]>) {
    const block = decodeStepBlock(inflateSync(row[0]), withSums ? inflateSync(row[1]) : null);
    const last = block.ordinal.length ? block.ordinal[block.ordinal.length - 1] : -1; // ascending
    if (last >= promptCount) throw new Error(`run ${runId}: step ${block.step} holds prompt ordinal ${last}, but the run has ${promptCount} prompts`);
    builder.add(block);
  }
  return builder.finish();
}
