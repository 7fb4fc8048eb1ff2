import { ByteWriter } from "hyparquet-writer";
import type { ChunkSink } from "./chunk-sink";

/**
 * A hyparquet-writer Writer that streams: instead of growing one buffer for the whole file, it
 * hands the bytes to a ChunkSink whenever more than `chunkBytes` are buffered, and waits for the
 * sink (back-pressure) after each row group, when the library calls flush().
 */
export class SinkWriter extends ByteWriter {
  private pending: Promise<void>[] = [];
  private failure: unknown = null;

  constructor(
    private readonly sink: ChunkSink,
    private readonly chunkBytes = 1 << 20,
  ) {
    super(1 << 16);
  }

  override ensure(size: number): void {
    if (this.failure) throw this.failure;
    if (this.index > this.chunkBytes) this.handOver();
    super.ensure(size);
  }

  flush(): void | Promise<void> {
    this.handOver();
    if (this.pending.length === 0) return this.check();
    const all = Promise.all(this.pending);
    this.pending = [];
    return all.then(() => this.check());
  }

  override finish(): void | Promise<void> {
    return this.flush();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error("SinkWriter streams its bytes; there is no buffer to get");
  }

  override getBytes(): Uint8Array<ArrayBuffer> {
    throw new Error("SinkWriter streams its bytes; there is no buffer to get");
  }

  private handOver(): void {
    if (this.index === 0) return;
    // Copy: the buffer is reused for the next bytes while the sink may still hold this chunk.
    const chunk = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    const wait = this.sink.write(chunk);
    // Record a failure instead of leaving a rejected promise unobserved until the next flush.
    if (wait) this.pending.push(wait.then(undefined, (e) => void (this.failure ??= e)));
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
