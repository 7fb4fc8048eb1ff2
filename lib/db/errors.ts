/** writeRun refuses a name that is taken unless asked to replace it. */
export class RunExistsError extends Error {
  readonly runName: string;
  constructor(runName: string) {
    super(`A run named "${runName}" already exists; choose another name or replace it (--replace)`);
    this.name = "RunExistsError";
    this.runName = runName;
  }
}

/**
 * Another process holds the database's write lock (a CLI ingest writing a run): the change was
 * not made and can be tried again. The server answers 503 with Retry-After instead of waiting,
 * since SQLite's wait would block its event loop for every other request.
 */
export class DatabaseBusyError extends Error {
  constructor(action: string, options?: { cause?: unknown }) {
    super(`${action}: the database is busy (another process is writing a run); try again when it is done`, options);
    this.name = "DatabaseBusyError";
  }
}
