/**
 * How long a connection waits for another connection's write lock before failing (ms).
 * better-sqlite3 waits synchronously, blocking the event loop: queries keep it short, and a
 * run writer (CLI ingest) may wait for another ingest to finish.
 */
export const BUSY_TIMEOUT_MS = 5_000;
export const WRITER_BUSY_TIMEOUT_MS = 60_000;
/** The web server's wait, for queries and writes alike: one request must not stall all others. */
export const SERVER_BUSY_TIMEOUT_MS = 100;

const g = globalThis as { __limBusyTimeoutMs?: number };

/**
 * Caps every wait of this process's connections opened from now on (queries and writes). Kept
 * on globalThis: Next bundles each route with its own copy of this module.
 */
export function capBusyTimeout(ms: number): void {
  g.__limBusyTimeoutMs = ms;
}

export function queryBusyTimeoutMs(): number {
  return Math.min(BUSY_TIMEOUT_MS, g.__limBusyTimeoutMs ?? Infinity);
}

export function writerBusyTimeoutMs(): number {
  return Math.min(WRITER_BUSY_TIMEOUT_MS, g.__limBusyTimeoutMs ?? Infinity);
}
