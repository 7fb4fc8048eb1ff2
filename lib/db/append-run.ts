import type { Database } from "better-sqlite3";
import { COUNT_COLUMNS, RUN_FIELDS, RUN_SELECT, runFieldValue, toRunRecord } from "./run-record";
import { SqliteRunWriter } from "./sqlite-run-writer";
import type { NewRun, RunRecord, RunWriter } from "./types";
import { databaseUrl, providerOf } from "./client";
import { storedNow } from "./sql";
import { inWriteTransaction } from "./write-run";

/** Adds rows to a stored run inside one transaction (see appendRun): new samples, the new steps' blocks, examples. */
export type RunAppender = RunWriter;

/** Gets the run as last committed; returns the run fields that change (counts, lastStep, live, ...). */
export type FillAppend = (appender: RunAppender, run: RunRecord) => Promise<Partial<NewRun> | void>;

/**
 * Adds to an existing run in ONE transaction: new samples, the new steps' blocks, examples,
 * and the run's changed fields, with updatedAt set to now (and the stored counts cleared: they
 * were for the smaller run). A throw or a kill leaves the run exactly as the previous commit
 * left it. This is how a watched run (`lim ingest --watch`) grows while the web app keeps
 * reading committed data only. A run is its step blocks in order, so appending the new steps'
 * blocks gives exactly the run a one-shot ingest of all the steps writes; the caller must
 * append only steps after the run's lastStep.
 */
export async function appendRun(name: string, fill: FillAppend): Promise<RunRecord> {
  if (providerOf(databaseUrl()) === "postgresql") return (await import("./postgres-write")).appendRunPostgres(name, fill);
  return inWriteTransaction(`appending to run "${name}"`, async (db) => {
    const row = db.prepare(`SELECT ${RUN_SELECT} FROM "Run" WHERE "name" = ?`).raw().get(name) as unknown[] | undefined;
    if (!row) throw new Error(`no run named "${name}" to append to (it was deleted?)`);
    const run = toRunRecord(row);
    const appender = new SqliteRunWriter(db, run.id, name);
    let changes: Partial<NewRun> | void;
    try {
      changes = await fill(appender, run);
      await appender.finish();
    } finally {
      appender.close();
    }
    updateRun(db, run, changes ?? {});
    return run.id;
  });
}

/** Writes the changed fields (validated like writeRun's, errors name the field) and updatedAt. */
function updateRun(db: Database, run: RunRecord, changes: Partial<NewRun>): void {
  if ("name" in changes && changes.name !== run.name) throw new TypeError(`run "${run.name}": an append cannot rename the run`);
  const merged = { ...run, ...changes } as NewRun;
  const fields = RUN_FIELDS.filter(([field]) => field !== "name" && field in changes);
  const sets = [...fields.map(([field]) => `"${field}" = ?`), `"updatedAt" = ?`, ...COUNT_COLUMNS.map((c) => `"${c}" = NULL`)];
  const values = fields.map(([field, check]) => runFieldValue(merged, field, check));
  db.prepare(`UPDATE "Run" SET ${sets.join(", ")} WHERE "id" = ?`).run(...values, storedNow(), run.id);
}
