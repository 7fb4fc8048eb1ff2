import { constants } from "node:buffer";
import { availableParallelism } from "node:os";
import { refuseOverSize } from "./input-text";
import type { LogFields } from "./log-fields";
import { recycleExampleBuffers } from "../scan/example-buffers";
import type { StepFile } from "./list-step-files";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { StepFileScanner } from "../scan/scan-step-pieces";
import { ScanPool } from "../scan/scan-pool";

export interface ReadStepsOptions {
  successReward: number;
  /** Examples wanted per prompt and epoch (0: decode no response at all). */
  keepExamples: number;
  /**
   * Scanning threads from startScanPool (started early: they take ~0.2 s to load), or null
   * to scan on the calling thread. Left open: the caller closes it. When absent, a pool is
   * started and closed here.
   */
  pool?: Promise<ScanPool | null>;
  onMessage?: (msg: string) => void;
  /** Field names, for formats whose fields vary (see LogFields). */
  fields?: LogFields;
  /**
   * The steps whose examples may be kept (ingest keeps them in a few epochs only); the others
   * are read without example candidates. Absent: every step.
   */
  examplesIn?: (step: number) => boolean;
}

/** Examples a reader offers for one step: keepExamples where examples may be kept, else 0. */
export function examplesAt(o: ReadStepsOptions, step: number): number {
  return o.keepExamples > 0 && (o.examplesIn?.(step) ?? true) ? o.keepExamples : 0;
}

/**
 * Scanning threads for a run: one per core (at most 4). Examples used to make the main thread
 * the slower side (decoding, re-encoding and writing every epoch's picks), so one worker kept
 * up; now that they are kept in a few epochs and stored as the log spelled them, a second
 * worker shortens the read (measured on the LIMR-scale bench run).
 */
export function defaultWorkers(_keepExamples = 0): number {
  const cores = availableParallelism();
  if (cores < 2) return 0;
  return Math.min(4, cores);
}

/**
 * Starts `size` scanning threads, or resolves to null (scan on this thread) when size is 0
 * or workers cannot start here (a bundler that cannot load the worker file, say).
 */
export async function startScanPool(size = defaultWorkers(), onMessage?: (msg: string) => void): Promise<ScanPool | null> {
  if (size <= 0) return null;
  try {
    return await ScanPool.start(size);
  } catch (e) {
    onMessage?.(`worker threads unavailable (${(e as Error).message}); scanning on one thread`);
    return null;
  }
}

/** Hands example buffers back for reuse: to the workers, or to this thread's free list. */
export function recycleExampleBytes(pool: ScanPool | null, buffers: readonly ArrayBuffer[]): void {
  if (buffers.length === 0) return;
  if (pool) pool.recycle(buffers);
  else recycleExampleBuffers(buffers);
}

/**
 * OpenRLHF step files -> packed StepBatches in step order. Files are scanned in parallel, a few in
 * flight ahead of the consumer, and handed out in order.
 */
export async function* readOpenRlhfSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  // A step file is scanned in pieces, but a bad one is read whole to say where (not a string: no 512 MB limit), up to Node's largest buffer.
  for (const f of files) refuseOverSize(f.path, f.bytes, constants.MAX_LENGTH, "a step file may be (it is scanned in one buffer); write smaller steps");
  const ownPool = o.pool === undefined;
  const pool = await (o.pool ?? startScanPool(Math.min(defaultWorkers(o.keepExamples), files.length), o.onMessage));
  const job = (f: StepFile) => ({ path: f.path, file: f.path, step: f.step, successReward: o.successReward, keepExamples: examplesAt(o, f.step) });
  if (!pool) {
    const scanner = new StepFileScanner();
    for (const f of files) {
      yield scanner.scan(f.path, job(f));
      // Let timers (progress output) and I/O run between files.
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  // Without examples the main thread merges faster than workers scan: two files per worker in
  // flight keep them busy. With examples the main thread (decoding, writing to the database)
  // is the slower side; batches queued for it only grow its heap: one per worker (each worker
  // still scans its next file while the main thread works on the last one).
  const ahead = o.keepExamples > 0 ? pool.size : pool.size * 2;
  const inFlight: Promise<PackedStepBatch>[] = [];
  let next = 0;
  const launch = () => {
    const p = pool.scan(job(files[next++]));
    p.catch(() => {}); // awaited in order below; this only stops an "unhandled rejection" if we stop early
    inFlight.push(p);
  };
  try {
    while (next < files.length && inFlight.length < ahead) launch();
    while (inFlight.length > 0) {
      const batch = await inFlight.shift()!;
      if (next < files.length) launch();
      yield batch;
    }
  } finally {
    if (ownPool) await pool.close();
  }
}
