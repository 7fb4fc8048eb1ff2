import type { Database, Statement } from "better-sqlite3";
import { type BlockDeflater, deflateNow } from "./block-deflate";
import { checkIndex, inflateJson, JsonBlockBuffer } from "./json-blocks";
import type { DatasetRowRecord } from "./types";

/**
 * A run's dataset rows in blocks (json-blocks.ts): each record is [rowIndex, prompt, json],
 * rows ascending. Beside each block's data sits one 32-bit hash per row of its trimmed
 * prompt, uncompressed (little-endian), so the rows of one prompt are found by scanning
 * 4 bytes per row and inflating only the blocks that may hold them; a hash match is checked
 * against the text.
 */
type Stored = [number, string, string];

export class DatasetBlockWriter {
  private readonly insert: Statement;
  private readonly buffer = new JsonBlockBuffer();
  private hashes: number[] = [];
  private first = -1;
  private last: number;

  constructor(
    db: Database,
    private readonly runId: number,
    private readonly deflater: BlockDeflater = deflateNow,
  ) {
    this.insert = db.prepare(`INSERT INTO "DatasetBlock" ("runId", "firstRow", "count", "hashes", "data") VALUES (?, ?, ?, ?, ?)`);
    const row = db.prepare(`SELECT "data" FROM "DatasetBlock" WHERE "runId" = ? ORDER BY "firstRow" DESC LIMIT 1`).pluck().get(runId) as Buffer | undefined;
    this.last = row ? inflateJson<Stored[]>(row).at(-1)![0] : -1;
  }

  add(r: DatasetRowRecord): void {
    const rowIndex = checkIndex("a dataset row's rowIndex", r.rowIndex);
    if (rowIndex <= this.last) throw new TypeError(`dataset rows must come in rowIndex order: ${rowIndex} after ${this.last}`);
    if (typeof r.prompt !== "string" || typeof r.json !== "string") throw new TypeError(`dataset row ${rowIndex}'s prompt and json must be strings`);
    if (this.first < 0) this.first = rowIndex;
    this.last = rowIndex;
    this.hashes.push(promptKeyHash(r.prompt));
    if (this.buffer.push(JSON.stringify([rowIndex, r.prompt, r.json] satisfies Stored))) this.flush();
  }

  flush(): void {
    if (this.buffer.count === 0) return;
    const hashes = Buffer.alloc(this.hashes.length * 4);
    for (let i = 0; i < this.hashes.length; i++) hashes.writeUInt32LE(this.hashes[i], i * 4);
    const first = this.first;
    const count = this.buffer.count;
    this.deflater.deflate([this.buffer.take()], ([data]) => this.insert.run(this.runId, first, count, hashes, data));
    this.hashes = [];
    this.first = -1;
  }
}

/** Blocks per read: export streams a whole dataset a few blocks at a time, never holding it all. */
const PAGE = 8;

/**
 * The run's dataset rows in rowIndex order. Read a page of blocks per query, so no statement
 * stays open on the shared connection while the caller awaits between rows.
 */
export function* datasetRows(db: Database, runId: number): Generator<DatasetRowRecord> {
  const page = db.prepare(`SELECT "firstRow", "data" FROM "DatasetBlock" WHERE "runId" = ? AND "firstRow" > ? ORDER BY "firstRow" LIMIT ${PAGE}`).raw();
  let after = -1;
  for (;;) {
    const blocks = page.all(runId, after) as [number, Buffer][];
    for (const [, data] of blocks) for (const r of inflateJson<Stored[]>(data)) yield toRow(r);
    if (blocks.length < PAGE) return;
    after = blocks[blocks.length - 1][0];
  }
}

/** Every dataset row whose trimmed prompt is `prompt` (a dataset may repeat a prompt), by rowIndex. */
export function datasetRowsOfPrompt(db: Database, runId: number, prompt: string): DatasetRowRecord[] {
  const key = prompt.trim();
  const hash = promptKeyHash(key);
  const out: DatasetRowRecord[] = [];
  const read = db.prepare(`SELECT "data" FROM "DatasetBlock" WHERE "runId" = ? AND "firstRow" = ?`).pluck();
  // All the hashes first (4 bytes a row): the connection runs one statement at a time.
  for (const [firstRow, hashes] of db.prepare(`SELECT "firstRow", "hashes" FROM "DatasetBlock" WHERE "runId" = ? ORDER BY "firstRow"`).raw().all(runId) as [number, Buffer][]) {
    if (!holds(hashes, hash)) continue;
    for (const r of inflateJson<Stored[]>(read.get(runId, firstRow) as Buffer)) if (r[1].trim() === key) out.push(toRow(r));
  }
  return out;
}

function holds(hashes: Buffer, hash: number): boolean {
  for (let at = 0; at < hashes.length; at += 4) if (hashes.readUInt32LE(at) === hash) return true;
  return false;
}

/** FNV-1a over the UTF-16 code units of the trimmed prompt: cheap, and only a filter. */
export function promptKeyHash(prompt: string): number {
  const key = prompt.trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function toRow([rowIndex, prompt, json]: Stored): DatasetRowRecord {
  return { rowIndex, prompt, json };
}
