import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";

const WAIT_MS = 60_000;
const POLL_MS = 50;

/**
 * Runs fn while holding `lockPath` (created exclusively, holding our pid), across processes.
 * A lock left by a dead process, or older than the wait itself, is taken over.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (isStale(lockPath)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`waited ${WAIT_MS / 1000} s for ${lockPath}; if no other lim process is running, delete it`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function isStale(lockPath: string): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > WAIT_MS) return true;
    const pid = Number(readFileSync(lockPath, "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ESRCH" || code === "ENOENT"; // owner gone, or lock just released
  }
}
