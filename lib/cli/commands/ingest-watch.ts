import type { RunRecord } from "../../db";
import { watchRun, type WatchOptions } from "../../ingest/watch/watch-run";

/**
 * `lim ingest --watch`: follows the run until Ctrl-C (or SIGTERM). The first signal lets the
 * append under way finish and keeps everything read; a second one quits at once, leaving the
 * run as of its last append.
 */
export async function followRun(opts: Omit<WatchOptions, "signal">, say: (m: string) => void): Promise<RunRecord> {
  const ctrl = new AbortController();
  let stops = 0;
  const stop = () => {
    if (++stops > 1) process.exit(130);
    say("stopping: finishing the append under way (Ctrl-C again to quit now)");
    ctrl.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await watchRun({ ...opts, signal: ctrl.signal }); // it says what it kept
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
