import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { databaseUrl, sqlitePath } from "./client";

/**
 * A file beside the database holding the pid of the process that is watching a run
 * (`lim ingest --watch`). The run's `live` flag is only cleared by the watcher itself, so a
 * watcher killed outright (SIGKILL, a second Ctrl-C, a crash) would leave its run "Live"
 * forever; readers check this file and report a run whose watcher is gone as not live.
 */
function markerPath(runName: string): string | null {
  const url = databaseUrl();
  if (!url.startsWith("file:")) return null;
  const file = sqlitePath(url);
  return file === ":memory:" ? null : `${file}.watch-${encodeURIComponent(runName)}`;
}

/** Claims the run for this process (call before creating it live). */
export function markWatcher(runName: string): void {
  const p = markerPath(runName);
  if (p) writeFileSync(/*turbopackIgnore: true*/ p, String(process.pid));
}

export function clearWatcher(runName: string): void {
  const p = markerPath(runName);
  if (p) rmSync(/*turbopackIgnore: true*/ p, { force: true });
}

/**
 * Claims the run for this process before it is created, unless another live process holds it
 * (then the create fails on the taken name, and that watcher's claim must stay). A reader that
 * sees the new run live then always finds its marker. True when this process now holds it.
 */
export function claimWatcher(runName: string): boolean {
  if (watcherAlive(runName) && !heldByThisProcess(runName)) return false;
  markWatcher(runName);
  return true;
}

/** Gives up this process's claim, and only its own. */
export function releaseWatcher(runName: string): void {
  if (heldByThisProcess(runName)) clearWatcher(runName);
}

function heldByThisProcess(runName: string): boolean {
  const p = markerPath(runName);
  if (!p) return false;
  try {
    return Number(readFileSync(/*turbopackIgnore: true*/ p, "utf8")) === process.pid;
  } catch {
    return false;
  }
}

/** True while the process that marked the run is still running (no marker: no watcher). */
export function watcherAlive(runName: string): boolean {
  const p = markerPath(runName);
  if (!p) return true; // nothing to check against: trust the stored flag
  let pid: number;
  try {
    pid = Number(readFileSync(/*turbopackIgnore: true*/ p, "utf8"));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, owned by another user
  }
}
