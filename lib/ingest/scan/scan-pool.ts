import { Worker } from "node:worker_threads";
import { IngestError } from "../errors";
import { scanWorkerEntry } from "./worker-entry";
import type { PackedStepBatch } from "./pack-step-batch";
import type { BatchOptions } from "./record";

export interface ScanJob extends BatchOptions {
  id: number;
  path: string;
  /** Example buffers handed back for reuse (see example-buffers.ts). */
  recycled?: ArrayBuffer[];
}

export type ScanReply =
  | { id: number; batch: PackedStepBatch }
  | {
      id: number;
      error: { message: string; ingest: boolean; file?: string; element?: number; offset?: number; field?: string };
    };

interface Pending {
  resolve: (b: PackedStepBatch) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * Scanning threads. Each worker reads and scans whole files on its own core; the main thread
 * only merges the per-step results. Replies carry compact per-prompt aggregates, never the
 * file's bytes.
 */
export class ScanPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failed: Error | null = null;
  private recycled: ArrayBuffer[] = [];

  private constructor(private readonly slots: Slot[]) {
    for (const slot of slots) {
      slot.worker.on("message", (m: ScanReply) => this.onReply(slot, m));
      slot.worker.on("error", (e) => this.fail(e));
      slot.worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`scan worker exited with code ${code}`));
      });
    }
  }

  /** Starts `size` workers and waits until each has loaded; rejects if one cannot start. */
  static async start(size: number): Promise<ScanPool> {
    const url = await scanWorkerEntry();
    const workers: Worker[] = [];
    const cleanups: (() => void)[] = [];
    try {
      const ready = [];
      for (let i = 0; i < size; i++) {
        // A small young generation: a worker's garbage is short-lived (per-file maps and
        // candidates), and the default (~48 MB per thread) showed up in peak RSS.
        // execArgv []: the entry needs no loader, and inheriting tsx's (when the parent runs
        // under the tsx CLI) would start a loader thread per worker (~0.3 s).
        const w = new Worker(url, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
        workers.push(w);
        ready.push(
          new Promise<void>((resolve, reject) => {
            const onExit = (code: number) => reject(new Error(`scan worker exited with code ${code} while starting`));
            w.once("message", () => resolve());
            w.once("error", reject);
            w.once("exit", onExit);
            // Only our own listeners: Worker keeps internal ones (removeAllListeners breaks messaging).
            cleanups.push(() => {
              w.off("error", reject);
              w.off("exit", onExit);
            });
          }),
        );
      }
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    for (const c of cleanups) c();
    return new ScanPool(workers.map((worker) => ({ worker, busy: 0 })));
  }

  get size(): number {
    return this.slots.length;
  }

  scan(job: Omit<ScanJob, "id">): Promise<PackedStepBatch> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    return new Promise<PackedStepBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const recycled = this.recycled;
      this.recycled = [];
      slot.worker.postMessage({ ...job, id, recycled } satisfies ScanJob, recycled);
    });
  }

  /** Buffers the main thread is done with; they ride back to a worker with its next job. */
  recycle(buffers: readonly ArrayBuffer[]): void {
    this.recycled.push(...buffers);
  }

  async close(): Promise<void> {
    this.failed ??= new Error("scan pool closed");
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private onReply(slot: Slot, m: ScanReply): void {
    slot.busy--;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if ("batch" in m) p.resolve(m.batch);
    else {
      const e = m.error;
      p.reject(e.ingest ? new IngestError(e.message, e.file, e.element, e.offset, e.field) : new Error(e.message));
    }
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
