import { deflate, deflateSync } from "node:zlib";

/**
 * Where the block writers send a block's parts to be deflated (level 1 everywhere) and the
 * row that holds them inserted. `insert` gets the deflated parts in the order given.
 */
export interface BlockDeflater {
  deflate(parts: readonly (Uint8Array | string)[], insert: (deflated: Buffer[]) => void): void;
}

const LEVEL = 1;

/** Deflates on this thread and inserts at once: step and example blocks, conversions of stored runs. */
export const deflateNow: BlockDeflater = {
  deflate(parts, insert) {
    insert(parts.map((p) => deflateSync(p, { level: LEVEL })));
  },
};

/** Blocks deflated at once on zlib's thread pool (4 threads by default, shared with file reads). */
const RUNNING = 2;
/**
 * Blocks, and their bytes before deflating, handed in but not yet inserted before a writer
 * waits for the oldest: a few text blocks (<= 1.5 MB each) at a time.
 */
const WAITING = 8;
const WAITING_BYTES = 8 * 1024 * 1024;
/** Blocks smaller than this are deflated on this thread (still inserted in turn). */
const SMALL = 64 * 1024;

interface Job {
  parts: readonly (Uint8Array | string)[];
  bytes: number;
  insert: (deflated: Buffer[]) => void;
  done?: Promise<Buffer[]>;
}

/**
 * Deflates blocks on zlib's thread pool while this thread reads on, and inserts their rows
 * in the order the blocks were handed in, so the stored rows are those of deflateNow, in the
 * same order. Deflating was ~14% of the ingest's main thread, its critical path, at a
 * million prompts, and the dataset's blocks are deflated after the scan threads have
 * stopped, when the other core has nothing else to do. (Step blocks stay on this thread:
 * measured, a million-prompt step's ~28 MB waiting on the pool while the log was read raised
 * the ingest's peak RSS by 70-90 MB.) At most RUNNING blocks are being deflated (each has
 * zlib state of ~256 KB); the rest wait as the bytes the writers had already made. A writer
 * inserts what is done with `settle()` once `full`, and everything with `settle(true)` before
 * the transaction commits: nothing is inserted outside those calls, so a failed write
 * inserts nothing more.
 */
export class ThreadPoolDeflater implements BlockDeflater {
  private readonly jobs: Job[] = [];
  private waitingBytes = 0;
  /** The oldest job not yet inserted, and the oldest not yet started. */
  private head = 0;
  private nextStart = 0;
  private running = 0;

  deflate(parts: readonly (Uint8Array | string)[], insert: (deflated: Buffer[]) => void): void {
    const bytes = parts.reduce((sum, p) => sum + p.length, 0); // a string's length: bytes enough for a bound
    if (bytes < SMALL) {
      // A trip to the thread pool costs more than deflating a few KB here (a run's last, short blocks).
      const deflated = parts.map((p) => deflateSync(p, { level: LEVEL }));
      if (this.head === this.jobs.length) return insert(deflated);
      this.jobs.push({ parts: [], bytes: 0, insert, done: Promise.resolve(deflated) });
      return;
    }
    this.jobs.push({ parts, bytes, insert });
    this.waitingBytes += bytes;
    this.startMore();
  }

  /** More blocks, or bytes, wait than a writer should go on with: it should `settle()`. */
  get full(): boolean {
    return this.jobs.length - this.head > WAITING || this.waitingBytes > WAITING_BYTES;
  }

  /** Inserts the oldest blocks, in order, until no longer full (`all`: until none waits). */
  async settle(all = false): Promise<void> {
    while (this.head < this.jobs.length && (all || this.full)) {
      const job = this.jobs[this.head];
      const deflated = await job.done!; // the oldest is always started (see startMore)
      this.jobs[this.head++] = undefined as unknown as Job;
      this.waitingBytes -= job.bytes;
      if (this.head === this.jobs.length) this.jobs.length = this.head = this.nextStart = 0;
      else this.startMore(); // one more may wait deflated now
      job.insert(deflated);
    }
  }

  private startMore(): void {
    // Deflated blocks wait for their turn as a few MB at most: none starts WAITING places ahead.
    while (this.nextStart < this.jobs.length && this.nextStart - this.head < WAITING) {
      const job = this.jobs[this.nextStart];
      if (!job.done) {
        // A small block was deflated when handed in; others start as the pool has room.
        if (this.running >= RUNNING) return;
        this.running++;
        job.done = Promise.all(job.parts.map((p) => deflating(p))).finally(() => {
          this.running--;
          this.startMore();
        });
        job.done.catch(() => {}); // awaited in turn by settle; until then not an unhandled rejection
      }
      this.nextStart++;
    }
  }
}

function deflating(part: Uint8Array | string): Promise<Buffer> {
  // zlib's default chunk (16 KB) is a trip to the thread pool per 16 KB of output: a text
  // block (deflated ~3-5x) fits in one chunk of half its size, a step block in a few of 1 MB.
  const chunkSize = Math.min(1 << 20, Math.max(16 * 1024, part.length >> 1));
  // The result is a view of the chunk; a copy of the deflated bytes lets the chunk go.
  return new Promise((resolve, reject) => deflate(part, { level: LEVEL, chunkSize }, (error, out) => (error ? reject(error) : resolve(Buffer.from(out)))));
}
