import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";

const WAIT_MS = 60_000;
const POLL_MS = 50;

export interface LockTiming {
  /** Give up after this long (ms). */
  waitMs?: number;
  pollMs?: number;
}

/**
 * Runs fn while holding `lockPath` (created exclusively, holding our pid), across processes.
 * A lock left by a dead process, or older than the wait itself, is taken over.
 * Only "someone else holds it" (EEXIST) is waited on, and never past the deadline: any other
 * failure to create the lock file (missing folder, no permission) is final and says so.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timing: LockTiming = {}): Promise<T> {
  const { waitMs = WAIT_MS, pollMs = POLL_MS } = timing;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") {
        const reason = error instanceof Error ? error.message.replace(/, \w+ '[^']*'$/, "") : String(error);
        throw new Error(`cannot create the lock file ${lockPath}: ${reason}`, { cause: error });
      }
      if (Date.now() > deadline) {
        const waited = waitMs >= 1000 ? `${Math.round(waitMs / 1000)} s` : `${waitMs} ms`;
        throw new Error(`waited ${waited} for ${lockPath}; if no other lim process is running, delete it`);
      }
      if (isStale(lockPath, waitMs)) {
        rmSync(lockPath, { force: true });
        continue; // the deadline above still bounds a lock that keeps coming back
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isStale(lockPath: string, waitMs: number): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > waitMs) return true;
    const pid = Number(readFileSync(lockPath, "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ESRCH" || code === "ENOENT"; // owner gone, or lock just released
  }
}
