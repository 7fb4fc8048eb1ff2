import { createHash } from "node:crypto";
import type { Writable } from "node:stream";

/**
 * Where a format writer puts its bytes. write() returns a promise only when the destination
 * wants the writer to wait (stream back-pressure); writers await it between batches.
 */
export interface ChunkSink {
  write(chunk: string | Uint8Array): void | Promise<void>;
}

/** Writes to a Node stream while counting bytes and hashing them (the manifest's SHA-256). */
export class HashingSink implements ChunkSink {
  private readonly hash = createHash("sha256");
  bytes = 0;

  constructor(private readonly out: Writable) {}

  write(chunk: string | Uint8Array): void | Promise<void> {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (buf.length === 0) return;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (this.out.errored) throw this.out.errored;
    if (!this.out.write(buf)) return drained(this.out);
  }

  sha256(): string {
    return this.hash.digest("hex");
  }
}

/** Resolves when the stream drains; rejects if it fails or closes first (a reader that hung up). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null) => {
      out.off("drain", onDrain);
      out.off("error", onError);
      out.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(out.errored ?? new Error("the output closed before the export finished"));
    out.on("drain", onDrain);
    out.on("error", onError);
    out.on("close", onClose);
  });
}
