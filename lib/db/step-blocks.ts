import { promisify } from "node:util";
import { deflateSync, inflate } from "node:zlib";
import type { Database } from "better-sqlite3";
import { RunColumnsBuilder, type RunColumns, type StepBlock } from "../lim/run-columns";
import { countsLength, decodeStepBlock, encodeStepBlock } from "../lim/step-block-bytes";

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
export async function readRunColumns(db: Database, runId: number, promptCount: number, withSums: boolean): Promise<RunColumns> {
  const sql = `SELECT "records", "entries", "counts"${withSums ? `, "sums"` : ""} FROM "StepBlock" WHERE "runId" = ? ORDER BY "seq"`;
  // All compressed blocks at once (16 MB at a million prompts, a tenth of the columns they
  // fill): a statement must not stay open across the awaits of the inflation.
  const rows = db.prepare(sql).raw().all(runId) as StoredBlock[];
  const builder = new RunColumnsBuilder(promptCount, rows.map(([records, entries]) => ({ records, entries })), withSums);
  await addStoredBlocks(builder, rows, runId, promptCount);
  return builder.finish();
}

/** A stored block as read for loading: records, entries, counts, and sums when asked for. */
export type StoredBlock = [number, number, Buffer, Buffer?];

const inflating = promisify(inflate);
/** Blocks inflated at once, on zlib's thread pool (4 threads by default). */
const INFLATE_AHEAD = 4;

/**
 * Stored blocks (in seq order) inflated and added to the run's columns. Inflating is most of
 * loading a run (~0.4 s of CPU for 170 MB at a million prompts); on zlib's thread pool it runs
 * on every core and beside the decoding, instead of one block after another on this thread.
 */
export async function addStoredBlocks(builder: RunColumnsBuilder, rows: readonly StoredBlock[], runId: number, promptCount: number): Promise<void> {
  // Each part in one output chunk, a byte more than its known size (a full chunk asks for
  // another): zlib's default chunk (16 KB) is a trip to the thread pool per chunk.
  const chunk = (bytes: number) => ({ chunkSize: Math.max(64, bytes + 1) });
  const start = ([records, entries, counts, sums]: StoredBlock) => {
    const p = Promise.all([inflating(counts, chunk(countsLength(records, entries))), sums ? inflating(sums, chunk(16 * records)) : null]);
    p.catch(() => {}); // awaited in turn below; until then a failure is not an unhandled one
    return p;
  };
  const pending = rows.slice(0, INFLATE_AHEAD).map(start);
  for (let i = 0; i < rows.length; i++) {
    const [counts, sums] = await pending[i];
    if (i + INFLATE_AHEAD < rows.length) pending.push(start(rows[i + INFLATE_AHEAD]));
    const block = decodeStepBlock(counts, sums, true);
    const last = block.ordinal.length ? block.ordinal[block.ordinal.length - 1] : -1; // ascending
    if (last >= promptCount) throw new Error(`run ${runId}: step ${block.step} holds prompt ordinal ${last}, but the run has ${promptCount} prompts`);
    builder.add(block);
  }
}
