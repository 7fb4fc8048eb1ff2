import { statSync } from "node:fs";
import type { StepFile } from "../formats/list-step-files";

/** What one look at a watched directory found. */
export interface WatchPoll {
  /**
   * Settled step files after the last step read, in step order, up to the first one that is
   * not settled yet: the next append, if nothing goes wrong.
   */
  ready: StepFile[];
  /**
   * True when `ready` ends with the newest step file present. The trainer may still be
   * writing it (a pause longer than the settle time), so it is read only if it parses
   * completely; any older file is finished, since the trainer has moved on to a newer one.
   */
  endsWithNewest: boolean;
  /** Files for steps at or before the last step read that were not read; each is reported once. */
  late: StepFile[];
  /** Files after the last step read that are still changing (or wait behind one that is). */
  waiting: number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
  polls: number;
}

/**
 * Decides which step files of a growing directory can be read: a file is settled when its
 * size and mtime stayed the same across two looks at least `settleMs` apart. A trainer
 * writing a step file changes one or both until it closes it; a settled file can still be
 * half written if the trainer paused, which is why the newest file must also parse (see
 * WatchPoll.endsWithNewest).
 */
export class StepFileSettler {
  private readonly seen = new Map<string, Seen>();
  private readonly reported = new Set<string>();

  constructor(private readonly settleMs: number) {}

  /**
   * `files`: the step files present, in step order. `lastStep`: the last step read (0 before
   * the first). `wasRead(step)`: whether a step was read. `now`: a clock in ms.
   */
  poll(files: readonly StepFile[], lastStep: number, wasRead: (step: number) => boolean, now: number): WatchPoll {
    const out: WatchPoll = { ready: [], endsWithNewest: false, late: [], waiting: 0 };
    let blocked = false;
    for (const f of files) {
      if (f.step <= lastStep) {
        if (!wasRead(f.step) && !this.reported.has(f.path)) {
          this.reported.add(f.path);
          out.late.push(f);
        }
        continue;
      }
      const settled = this.observe(f, now);
      if (settled && !blocked) out.ready.push(settled);
      else {
        blocked = true;
        out.waiting++;
      }
    }
    const newest = files.at(-1);
    out.endsWithNewest = out.ready.length > 0 && newest !== undefined && out.ready.at(-1)!.path === newest.path;
    for (const f of out.ready) this.seen.delete(f.path); // read now: no need to remember it
    return out;
  }

  /** The file with its current size when it is settled, else null. */
  private observe(f: StepFile, now: number): StepFile | null {
    let st;
    try {
      st = statSync(f.path);
    } catch {
      return null; // gone between the listing and now (renamed into place, say): look again next time
    }
    const prev = this.seen.get(f.path);
    if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
      this.seen.set(f.path, { size: st.size, mtimeMs: st.mtimeMs, since: now, polls: 1 });
      return null;
    }
    prev.polls++;
    return prev.polls >= 2 && now - prev.since >= this.settleMs ? { ...f, bytes: st.size } : null;
  }
}

/**
 * Warnings for steps missing before the files about to be read, worded as a one-shot
 * ingest words them (list-step-files.ts): a crashed-and-resumed run has gaps and its other
 * steps are still worth scoring.
 */
export function gapWarnings(lastStep: number, files: readonly StepFile[], fileName: string): string[] {
  const out: string[] = [];
  let prev = lastStep;
  for (const f of files) {
    if (f.step > prev + 1) {
      const missing = f.step - prev - 1;
      const range = missing === 1 ? `step ${prev + 1} is` : `steps ${prev + 1}-${f.step - 1} are`;
      out.push(`${range} missing (no ${fileName} between ${prev === 0 ? "the start" : `step ${prev}`} and step ${f.step}); prompts trained there count as absent`);
    }
    prev = f.step;
  }
  return out;
}

/** Waits `ms`, or less if the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
