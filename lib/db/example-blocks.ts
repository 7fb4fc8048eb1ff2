import { deflateSync, inflateSync } from "node:zlib";
import type { Database, Statement } from "better-sqlite3";
import type { ExampleColumns, ExampleRecord, NewExample } from "./types";

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
  /** The block's JSON text so far, UTF-8. */
  buf: Buffer;
  used: number;
  count: number;
}

/** Buffers examples per bucket; writes a bucket once it holds BLOCK_BYTES, and all on flush(). */
export class ExampleBlockWriter {
  private readonly insert: Statement;
  private readonly buckets = new Map<number, Bucket>();
  private buffered = 0;
  private next: number;
  /** Written buckets' buffers, reused: at a million prompts a flush writes thousands at once. */
  private spare: Buffer[] = [];
  /** Where the record head() started last begins. */
  private recordStart = 0;

  constructor(db: Database, private readonly runId: number) {
    this.insert = db.prepare(`INSERT INTO "ExampleBlock" ("runId", "seq", "bucket", "count", "data") VALUES (?, ?, ?, ?, ?)`);
    const row = db.prepare(`SELECT COALESCE(MAX("seq") + 1, 0) FROM "ExampleBlock" WHERE "runId" = ?`).raw().get(runId) as [number];
    this.next = row[0];
  }

  add(e: NewExample): void {
    // What the columns of one row per example used to enforce: a bad value fails here, naming
    // the field, instead of committing a block no page can read.
    checkExample(e.sampleOrdinal, e.step, e.epoch, e.responseLength);
    if (e.responseJson === undefined && typeof e.response !== "string") throw new TypeError(`an example's response must be a string, got ${typeof (e as { response?: unknown }).response}`);
    const text = e.responseJson ?? JSON.stringify(e.response);
    const b = this.head(e.sampleOrdinal, e.step, e.epoch, e.reward, e.success ? 1 : 0, e.responseLength, 3 * text.length + 1);
    b.used += b.buf.write(text, b.used, "utf8");
    this.close(e.sampleOrdinal, b);
  }

  /** Example i of columns whose responses are JSON literals in UTF-8 (see ExampleColumns); checked as add() checks. */
  addColumn(c: ExampleColumns, i: number): void {
    const ordinal = c.sampleOrdinal[i];
    checkExample(ordinal, c.step[i], c.epoch[i], c.responseLength[i]);
    const start = i === 0 ? 0 : c.jsonEnd[i - 1];
    const end = c.jsonEnd[i];
    const b = this.head(ordinal, c.step[i], c.epoch[i], c.reward[i], c.success[i] ? 1 : 0, c.responseLength[i], end - start + 1);
    b.buf.set(c.json.subarray(start, end), b.used);
    b.used += end - start;
    this.close(ordinal, b);
  }

  flush(): void {
    for (const [key, b] of this.buckets) this.write(key, b);
  }

  /** Starts a record in its bucket: `,[ordinal,step,epoch,reward,success,responseLength,` (with room for `more` bytes). */
  private head(ordinal: number, step: number, epoch: number, reward: number, success: number, responseLength: number, more: number): Bucket {
    const rewardText = numberBytes(reward);
    const key = ordinal >>> BUCKET_BITS;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { buf: this.spare.pop() ?? Buffer.allocUnsafeSlow(4096), used: 0, count: 0 }));
    const need = b.used + 2 + 4 * 22 + rewardText.length + 4 + more + 1;
    if (need > b.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * b.buf.length, need));
      b.buf.copy(grown, 0, 0, b.used);
      b.buf = grown;
    }
    const buf = b.buf;
    const from = b.used;
    let at = from;
    buf[at++] = b.count ? 0x2c : 0x5b;
    buf[at++] = 0x5b;
    at = writeInteger(buf, at, ordinal);
    buf[at++] = 0x2c;
    at = writeInteger(buf, at, step);
    buf[at++] = 0x2c;
    at = writeInteger(buf, at, epoch);
    buf[at++] = 0x2c;
    buf.set(rewardText, at);
    at += rewardText.length;
    buf[at++] = 0x2c;
    buf[at++] = success ? 0x31 : 0x30;
    buf[at++] = 0x2c;
    at = writeInteger(buf, at, responseLength);
    buf[at++] = 0x2c;
    b.used = at;
    this.recordStart = from;
    return b;
  }

  /** Ends the record started by head(). */
  private close(ordinal: number, b: Bucket): void {
    b.buf[b.used++] = 0x5d;
    b.count++;
    this.buffered += b.used - this.recordStart;
    if (b.used >= BLOCK_BYTES) this.write(ordinal >>> BUCKET_BITS, b);
    else if (this.buffered >= BUFFERED_BYTES) this.flush();
  }

  private write(key: number, b: Bucket): void {
    b.buf[b.used++] = 0x5d;
    this.insert.run(this.runId, this.next++, key, b.count, deflateSync(b.buf.subarray(0, b.used), { level: LEVEL }));
    this.buckets.delete(key);
    this.buffered -= b.used - 1;
    if (b.buf.length <= 1 << 20) this.spare.push(b.buf);
  }
}

function checkExample(ordinal: number, step: number, epoch: number, responseLength: number): void {
  const fields = { sampleOrdinal: ordinal, step, epoch, responseLength };
  for (const field of ["sampleOrdinal", "step", "epoch", "responseLength"] as const) {
    if (!Number.isSafeInteger(fields[field])) throw new TypeError(`an example's ${field} must be an integer, got ${JSON.stringify(fields[field]) ?? String(fields[field])}`);
  }
  if (ordinal < 0) throw new TypeError(`an example's sampleOrdinal must be >= 0, got ${ordinal}`);
}

/** A run has a handful of distinct rewards: their spellings are made once. */
const rewardSpelling = new Map<number, Buffer>();

/** String(x) as bytes: rewards are finite numbers; JSON has no spelling for -0 other than 0, which is what it was. */
function numberBytes(x: number): Buffer {
  let b = rewardSpelling.get(x);
  if (b === undefined) {
    if (!Number.isFinite(x)) throw new TypeError(`an example's reward must be a finite number, got ${x}`);
    b = Buffer.from(String(x), "latin1");
    if (rewardSpelling.size < 4096) rewardSpelling.set(x, b);
  }
  return b;
}

/** String(x) of a safe integer, written at `at`; returns the end. */
function writeInteger(buf: Buffer, at: number, x: number): number {
  if (x < 0) {
    buf[at++] = 0x2d;
    x = -x;
  }
  let digits = 1;
  for (let p = 10; p <= x; p *= 10) digits++;
  for (let k = digits - 1; k >= 0; k--) {
    buf[at + k] = 0x30 + (x % 10);
    x = Math.floor(x / 10);
  }
  return at + digits;
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
