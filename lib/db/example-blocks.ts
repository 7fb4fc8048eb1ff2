import { deflateSync, inflateSync } from "node:zlib";
import type { Database, Statement } from "better-sqlite3";
import type { ExampleRecord, NewExample } from "./types";

/**
 * Kept example rollouts, stored in bulk: examples are grouped by bucket of 256 consecutive
 * prompt ordinals and written as deflated blocks of JSON, [[ordinal, step, epoch, reward,
 * success, responseLength, response], ...]. One row per example cost more than the whole
 * scan at LIMR scale; a block costs one insert per ~256 KB of text and compresses it ~3x.
 * A prompt's page reads the blocks of its bucket only.
 */
export const BUCKET_BITS = 8;
const BLOCK_BYTES = 256 * 1024;
/**
 * Buffered text across all buckets before every bucket is written: with a million prompts a
 * bucket gathers ~40 KB an epoch, so without a cap an epoch's examples would all wait in
 * memory for the epoch to end.
 */
const BUFFERED_BYTES = 16 * 1024 * 1024;
const LEVEL = 1;

interface Bucket {
  parts: string[];
  bytes: number;
  count: number;
}

/** Buffers examples per bucket; writes a bucket once it holds BLOCK_BYTES, and all on flush(). */
export class ExampleBlockWriter {
  private readonly insert: Statement;
  private readonly buckets = new Map<number, Bucket>();
  private buffered = 0;
  private next: number;

  constructor(db: Database, private readonly runId: number) {
    this.insert = db.prepare(`INSERT INTO "ExampleBlock" ("runId", "seq", "bucket", "count", "data") VALUES (?, ?, ?, ?, ?)`);
    const row = db.prepare(`SELECT COALESCE(MAX("seq") + 1, 0) FROM "ExampleBlock" WHERE "runId" = ?`).raw().get(runId) as [number];
    this.next = row[0];
  }

  add(e: NewExample): void {
    // What the columns of one row per example used to enforce: a bad value fails here, naming
    // the field, instead of committing a block no page can read.
    for (const field of ["sampleOrdinal", "step", "epoch", "responseLength"] as const) {
      if (!Number.isSafeInteger(e[field])) throw new TypeError(`an example's ${field} must be an integer, got ${JSON.stringify(e[field]) ?? String(e[field])}`);
    }
    if (e.sampleOrdinal < 0) throw new TypeError(`an example's sampleOrdinal must be >= 0, got ${e.sampleOrdinal}`);
    if (e.responseJson === undefined && typeof e.response !== "string") throw new TypeError(`an example's response must be a string, got ${typeof (e as { response?: unknown }).response}`);
    const text = e.responseJson ?? JSON.stringify(e.response);
    const reward = numberText(e.reward);
    const key = e.sampleOrdinal >>> BUCKET_BITS;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { parts: [], bytes: 0, count: 0 }));
    const head = `${b.count ? "," : "["}[${e.sampleOrdinal},${e.step},${e.epoch},${reward},${e.success ? 1 : 0},${e.responseLength},`;
    b.parts.push(head, text, "]");
    const size = head.length + text.length + 1; // characters: close enough to bytes for a block's size
    b.bytes += size;
    this.buffered += size;
    b.count++;
    if (b.bytes >= BLOCK_BYTES) this.write(key, b);
    else if (this.buffered >= BUFFERED_BYTES) this.flush();
  }

  flush(): void {
    for (const [key, b] of this.buckets) this.write(key, b);
  }

  private write(key: number, b: Bucket): void {
    b.parts.push("]");
    this.insert.run(this.runId, this.next++, key, b.count, deflateSync(b.parts.join(""), { level: LEVEL }));
    this.buckets.delete(key);
    this.buffered -= b.bytes;
  }
}

/** Rewards are finite numbers; JSON has no spelling for -0 other than 0, which is what it was. */
function numberText(x: number): string {
  if (!Number.isFinite(x)) throw new TypeError(`an example's reward must be a finite number, got ${x}`);
  return String(x);
}

type Stored = [number, number, number, number, number, number, string];

/** A sample's kept example rollouts on `db`, by step (then in the order ingest kept them). */
export function readExamples(db: Database, runId: number, ordinal: number): ExampleRecord[] {
  const rows = db.prepare(`SELECT "data" FROM "ExampleBlock" WHERE "runId" = ? AND "bucket" = ? ORDER BY "seq"`).raw().all(runId, ordinal >>> BUCKET_BITS) as [Buffer][];
  const out: ExampleRecord[] = [];
  for (const [data] of rows) {
    for (const [o, step, epoch, reward, success, responseLength, response] of JSON.parse(inflateSync(data).toString("utf8")) as Stored[]) {
      if (o === ordinal) out.push({ sampleOrdinal: o, step, epoch, reward, success: success === 1, responseLength, response });
    }
  }
  return out.sort((a, b) => a.step - b.step); // stable: within a step, the order kept
}
