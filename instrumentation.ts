/**
 * Once per server process, before any request. SQLite's wait for another process's write lock
 * blocks the server's event loop (better-sqlite3 is synchronous), so a delete or save during a
 * CLI ingest must fail fast (503, try again) rather than stall every page for seconds.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { capBusyTimeout, SERVER_BUSY_TIMEOUT_MS } = await import("./lib/db/busy-timeout");
  capBusyTimeout(SERVER_BUSY_TIMEOUT_MS);
}
