import type { Database } from "better-sqlite3";
import { inflateSync } from "node:zlib";

/**
 * Text stored in bulk: records gathered as one JSON array's text and deflated as a block.
 * Prompts and dataset rows are most of a large run's bytes; one row each stored them
 * uncompressed beside a row header and an index entry, a block of ~1024 shrinks them 3-5x
 * in one insert.
 */
export const BLOCK_RECORDS = 1024;
/** Long texts end a block early, so a page that needs one record inflates little. */
const BLOCK_CHARS = 512 * 1024;

export class JsonBlockBuffer {
  private parts: string[] = [];
  private chars = 0;
  count = 0;

  /** Adds one record, already spelled as JSON; true when the block is full and should be taken. */
  push(recordJson: string): boolean {
    this.parts.push(this.count ? "," : "[", recordJson);
    this.chars += recordJson.length + 1;
    this.count++;
    return this.count >= BLOCK_RECORDS || this.chars >= BLOCK_CHARS;
  }

  /** The buffered records as one JSON array's text, to be deflated as a block, and an empty buffer. */
  take(): string {
    this.parts.push("]");
    const text = this.parts.join("");
    this.parts = [];
    this.chars = 0;
    this.count = 0;
    return text;
  }
}

export function inflateJson<T>(data: Uint8Array): T {
  return JSON.parse(inflateSync(data).toString("utf8")) as T;
}

/** An integer column value a block's records must have, checked before anything is buffered. */
export function checkIndex(what: string, value: unknown, expected?: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new TypeError(`${what} must be an integer >= 0, got ${JSON.stringify(value) ?? String(value)}`);
  if (expected !== undefined && value !== expected) throw new TypeError(`${what} must follow the one before (${expected}), got ${value}`);
  return value as number;
}

/** Blocks per read of a whole run's blocks (pagedBlocks). */
const PAGE = 8;

/**
 * A run's rows of a block table ([key, data]) in key order, a page of blocks per query: no
 * statement stays open on the shared connection while the caller awaits between blocks, and a
 * whole dataset or a million prompts are never held at once.
 */
export function* pagedBlocks(db: Database, table: "SampleBlock" | "DatasetBlock", key: "firstOrdinal" | "firstRow", runId: number): Generator<[number, Buffer]> {
  const page = db.prepare(`SELECT "${key}", "data" FROM "${table}" WHERE "runId" = ? AND "${key}" > ? ORDER BY "${key}" LIMIT ${PAGE}`).raw();
  let after = -1;
  for (;;) {
    const blocks = page.all(runId, after) as [number, Buffer][];
    yield* blocks;
    if (blocks.length < PAGE) return;
    after = blocks[blocks.length - 1][0];
  }
}
