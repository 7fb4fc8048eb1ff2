import type { Database, Statement } from "better-sqlite3";
import { type BlockDeflater, deflateNow } from "./block-deflate";
import { checkIndex, inflateJson, JsonBlockBuffer, pagedBlocks } from "./json-blocks";
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

/** The run's dataset rows in rowIndex order, a page of blocks at a time (pagedBlocks). */
export function* datasetRows(db: Database, runId: number): Generator<DatasetRowRecord> {
  for (const [, data] of pagedBlocks(db, "DatasetBlock", "firstRow", runId)) for (const r of inflateJson<Stored[]>(data)) yield toRow(r);
}

/**
 * For each prompt, every dataset row whose trimmed prompt is it (a dataset may repeat a
 * prompt), by rowIndex. The hashes are read once for all the prompts (a screen of reference
 * answers asks for a few dozen), and each block that may hold one of them is inflated once.
 */
export function datasetRowsOfPrompts(db: Database, runId: number, prompts: readonly string[]): DatasetRowRecord[][] {
  const read = db.prepare(`SELECT "data" FROM "DatasetBlock" WHERE "runId" = ? AND "firstRow" = ?`).pluck();
  // All the hashes first (4 bytes a row): the connection runs one statement at a time.
  const blocks = db.prepare(`SELECT "firstRow", "hashes" FROM "DatasetBlock" WHERE "runId" = ? ORDER BY "firstRow"`).raw().all(runId) as [number, Buffer][];
  return rowsOfPrompts(blocks, prompts, (firstRow) => read.get(runId, firstRow) as Buffer);
}

/** datasetRowsOfPrompts over any source of the blocks' hashes and data. */
export function rowsOfPrompts(blocks: readonly [number, Buffer][], prompts: readonly string[], dataOf: (firstRow: number) => Buffer): DatasetRowRecord[][] {
  const keys = prompts.map((p) => p.trim());
  const wanted = new Set(keys.map(promptKeyHash));
  const out = keys.map((): DatasetRowRecord[] => []);
  for (const [firstRow, hashes] of blocks) {
    if (!holdsAny(hashes, wanted)) continue;
    for (const r of inflateJson<Stored[]>(dataOf(firstRow))) {
      const key = r[1].trim();
      keys.forEach((k, i) => k === key && out[i].push(toRow(r)));
    }
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A block's stored hashes (little-endian uint32) as numbers: read in place when aligned. */
function hashColumn(hashes: Buffer): Uint32Array {
  const n = hashes.length >>> 2;
  if (LITTLE_ENDIAN && hashes.byteOffset % 4 === 0) return new Uint32Array(hashes.buffer, hashes.byteOffset, n);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = hashes.readUInt32LE(4 * i);
  return out;
}

/** Whether a block's hashes hold one of `wanted` (4 bytes a row: a million rows are scanned per lookup). */
export function holdsAny(hashes: Buffer, wanted: Set<number>): boolean {
  const u32 = hashColumn(hashes);
  if (wanted.size === 1) {
    // One prompt (its page): a plain comparison, not a set lookup per row.
    const [h] = wanted;
    for (let i = 0; i < u32.length; i++) if (u32[i] === h) return true;
    return false;
  }
  for (let i = 0; i < u32.length; i++) if (wanted.has(u32[i])) return true;
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
