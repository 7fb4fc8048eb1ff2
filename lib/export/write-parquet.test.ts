import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { seededRandom } from "../db/test-db";
import { HashingSink } from "./chunk-sink";
import { writeParquet } from "./write-parquet";

/** A slow reader (small buffer, answers on the next tick): the writer must wait for it. */
function slowStream() {
  const chunks: Buffer[] = [];
  let waits = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  stream.on("drain", () => waits++);
  return { stream, chunks, waits: () => waits };
}

describe("Parquet streamed to a stream (the web download)", () => {
  it("writes many row groups in ~1 MB pieces, waits for a slow reader, and reads back intact", async () => {
    const rand = seededRandom(3);
    const rows = Array.from({ length: 25_000 }, (_, i) => ({
      id: i,
      // Random letters, so compression cannot shrink the file below a few MB.
      prompt: `Question ${i}: ${Array.from({ length: 50 + Math.floor(rand() * 200) }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join("")}`,
      score: Math.round(rand() * 1000) / 1000 + 0.5,
    }));
    const lines = async function* () {
      for (const r of rows) yield JSON.stringify(r) + "\n";
    };
    const { stream, chunks, waits } = slowStream();
    const sink = new HashingSink(stream);
    const n = await writeParquet(lines, sink, { fallbackColumn: "prompt", createdBy: "test", rowGroupSize: 10_000 });
    await new Promise<void>((resolve) => stream.end(resolve));

    assert.equal(n, rows.length);
    const bytes = Buffer.concat(chunks);
    assert.equal(sink.bytes, bytes.length);
    assert.equal(sink.sha256(), createHash("sha256").update(bytes).digest("hex"));
    assert.ok(bytes.length > 2 * 1024 * 1024, `${bytes.length} bytes`);
    assert.ok(waits() > 0, "never waited for the reader");

    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    assert.equal(parquetMetadata(file).row_groups.length, 3);
    const back = await parquetReadObjects({ file });
    assert.deepEqual(back.map((r) => ({ ...r, id: Number(r.id) })), rows);
  });

  it("stops with the reader's error instead of hanging when the reader goes away", async () => {
    const stream = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, done) {
        setImmediate(() => done(new Error("reader hung up")));
      },
    });
    stream.on("error", () => {});
    const lines = async function* () {
      for (let i = 0; i < 30_000; i++) yield JSON.stringify({ id: i, text: "y".repeat(100) }) + "\n";
    };
    await assert.rejects(writeParquet(lines, new HashingSink(stream), { fallbackColumn: "prompt", createdBy: "test", rowGroupSize: 5_000 }), /reader hung up/);
  });
});
