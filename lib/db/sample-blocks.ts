import type { Database, Statement } from "better-sqlite3";
import { type BlockDeflater, deflateNow } from "./block-deflate";
import { checkIndex, inflateJson, JsonBlockBuffer, pagedBlocks } from "./json-blocks";
import type { SampleBlockRecords, SampleRecord } from "./types";

/**
 * A run's prompts in blocks of consecutive ordinals (json-blocks.ts): each record is
 * [prompt, datasetRowIndex, publishedScore]. Samples arrive in ordinal order, so a block is
 * its first ordinal and a count, and an append starts a block after the run's last one.
 */
type Stored = [string, number | null, number | null];

export class SampleBlockWriter {
  private readonly insert: Statement;
  private readonly buffer = new JsonBlockBuffer();
  private first: number;
  /** The ordinal the next sample must have: the run's sample count so far. */
  next: number;

  constructor(
    db: Database,
    private readonly runId: number,
    private readonly deflater: BlockDeflater = deflateNow,
  ) {
    this.insert = db.prepare(`INSERT INTO "SampleBlock" ("runId", "firstOrdinal", "count", "data") VALUES (?, ?, ?, ?)`);
    this.next = this.first = countSamples(db, runId);
  }

  add(s: SampleRecord): void {
    checkIndex("a sample's ordinal", s.ordinal, this.next);
    if (typeof s.prompt !== "string") throw new TypeError(`sample ${s.ordinal}'s prompt must be a string, got ${typeof s.prompt}`);
    if (s.datasetRowIndex !== null) checkIndex(`sample ${s.ordinal}'s datasetRowIndex`, s.datasetRowIndex);
    if (s.publishedScore !== null && !Number.isFinite(s.publishedScore)) throw new TypeError(`sample ${s.ordinal}'s publishedScore must be a finite number or null, got ${s.publishedScore}`);
    const full = this.buffer.push(JSON.stringify([s.prompt, s.datasetRowIndex, s.publishedScore] satisfies Stored));
    this.next++;
    if (full) this.flush();
  }

  flush(): void {
    if (this.buffer.count === 0) return;
    const count = this.buffer.count;
    const first = this.first;
    this.deflater.deflate([this.buffer.take()], ([data]) => this.insert.run(this.runId, first, count, data));
    this.first += count;
  }
}

export function countSamples(db: Database, runId: number): number {
  return db.prepare(`SELECT COALESCE(SUM("count"), 0) FROM "SampleBlock" WHERE "runId" = ?`).pluck().get(runId) as number;
}

/** Every sample of a run, by ordinal. */
export function readSamples(db: Database, runId: number): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const [first, data] of db.prepare(`SELECT "firstOrdinal", "data" FROM "SampleBlock" WHERE "runId" = ? ORDER BY "firstOrdinal"`).raw().iterate(runId) as Iterable<[number, Buffer]>) {
    const records = inflateJson<Stored[]>(data);
    for (let i = 0; i < records.length; i++) out.push(toSample(first + i, records[i]));
  }
  return out;
}

/** One sample: the block holding its ordinal is inflated, no other. */
export function readSample(db: Database, runId: number, ordinal: number): SampleRecord | null {
  const row = db
    .prepare(`SELECT "firstOrdinal", "count", "data" FROM "SampleBlock" WHERE "runId" = ? AND "firstOrdinal" <= ? ORDER BY "firstOrdinal" DESC LIMIT 1`)
    .raw()
    .get(runId, ordinal) as [number, number, Buffer] | undefined;
  if (!row || ordinal - row[0] >= row[1]) return null;
  return toSample(ordinal, inflateJson<Stored[]>(row[2])[ordinal - row[0]]);
}

/**
 * The run's prompts block by block, in ordinal order (pagedBlocks): search, the text order and
 * the export walk a million prompts without holding them.
 */
export function* sampleBlocks(db: Database, runId: number): Generator<SampleBlockRecords> {
  for (const [first, data] of pagedBlocks(db, "SampleBlock", "firstOrdinal", runId)) yield blockRecords(first, data);
}

/** A block's records as columns. */
export function blockRecords(firstOrdinal: number, data: Uint8Array): SampleBlockRecords {
  const records = inflateJson<Stored[]>(data);
  const prompts = new Array<string>(records.length);
  const datasetRowIndexes = new Array<number | null>(records.length);
  for (let i = 0; i < records.length; i++) [prompts[i], datasetRowIndexes[i]] = records[i];
  return { firstOrdinal, prompts, datasetRowIndexes };
}

/**
 * The prompts of some ordinals (each < the run's sample count), in the order asked: each block
 * holding one of them is inflated once, no other.
 */
export function readPrompts(db: Database, runId: number, ordinals: readonly number[]): string[] {
  const block = db.prepare(`SELECT "firstOrdinal", "data" FROM "SampleBlock" WHERE "runId" = ? AND "firstOrdinal" <= ? ORDER BY "firstOrdinal" DESC LIMIT 1`).raw();
  return promptsFromBlocks(ordinals, (o) => block.get(runId, o) as [number, Buffer] | undefined);
}

/** readPrompts over any source of the block holding an ordinal ([firstOrdinal, data]). */
export function promptsFromBlocks(ordinals: readonly number[], blockOf: (ordinal: number) => [number, Uint8Array] | undefined): string[] {
  const out = new Array<string>(ordinals.length);
  const order = ordinals.map((_, i) => i).sort((a, b) => ordinals[a] - ordinals[b]);
  let held: SampleBlockRecords | null = null;
  for (const i of order) {
    const o = ordinals[i];
    if (!held || o < held.firstOrdinal || o >= held.firstOrdinal + held.prompts.length) {
      const row = blockOf(o);
      if (!row) throw new RangeError(`no stored prompt ${o}`);
      held = blockRecords(row[0], row[1]);
    }
    const p = held.prompts[o - held.firstOrdinal];
    if (p === undefined) throw new RangeError(`no stored prompt ${o}`);
    out[i] = p;
  }
  return out;
}

function toSample(ordinal: number, [prompt, datasetRowIndex, publishedScore]: Stored): SampleRecord {
  return { ordinal, prompt, datasetRowIndex, publishedScore };
}
