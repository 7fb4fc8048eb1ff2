import type { Database } from "better-sqlite3";
import { databaseUrl, openBulkWriter, providerOf } from "./client";
import { ensureMigrated } from "./connection";
import { DatabaseBusyError, RunExistsError } from "./errors";
import { RUN_FIELDS, RUN_SELECT, runFieldValue, toRunRecord } from "./run-record";
import { SqliteRunWriter } from "./sqlite-run-writer";
import { storedNow } from "./sql";
import type { NewRun, RunRecord, RunWriter } from "./types";

export type FillRun = (writer: RunWriter) => Promise<Partial<NewRun> | void>;

/**
 * Writes a run and all its rows in ONE transaction: any throw rolls everything back, and a
 * killed process leaves only an uncommitted WAL tail that SQLite ignores. With `replace`, the
 * old run of that name is deleted inside the same transaction, so it survives any failure.
 *
 * The transaction runs on its own better-sqlite3 connection, not through Prisma: other
 * queries of this process keep seeing only committed runs, and the bulk rows (up to ~360k
 * examples, ~540 MB of text at LIMR scale) go in at full speed with bounded memory. Measured
 * here per 100k example rows of 1.5 KB: Prisma createMany ~35 s, $executeRaw multi-row INSERTs
 * 3-9 s, the driver adapter ~1 s but it binds each statement permanently, so every row's text
 * stayed in memory until V8 collected the statement (+240 MB RSS at LIMR scale).
 */
export async function writeRun(run: NewRun, fill: FillRun, opts: { replace?: boolean } = {}): Promise<RunRecord> {
  if (providerOf(databaseUrl()) === "postgresql") return (await import("./postgres-write")).writeRunPostgres(run, fill, opts);
  const values = runValues(run); // bad fields fail before anything is opened
  const name = run.name;
  return inWriteTransaction(`writing run "${name}"`, async (db) => {
    if (opts.replace) db.prepare(`DELETE FROM "Run" WHERE "name" = ?`).run(name); // cascades
    else if (db.prepare(`SELECT 1 FROM "Run" WHERE "name" = ?`).get(name)) throw new RunExistsError(name);
    const runId = insertRun(db, values);
    const writer = new SqliteRunWriter(db, runId, name);
    let totals: Partial<NewRun> | void;
    try {
      totals = await fill(writer);
      await writer.finish();
    } finally {
      writer.close();
    }
    if (totals) updateRun(db, runId, runValues({ ...run, ...totals, name }));
    return runId;
  });
}

/**
 * Runs `body` in one IMMEDIATE transaction on its own bulk-writer connection, commits, and
 * returns the run `body` wrote as committed. Any throw rolls back. One such transaction at a
 * time per process (new runs and appends alike): a second connection waiting for SQLite's
 * write lock would block the event loop the first one needs to finish.
 */
export function inWriteTransaction(what: string, body: (db: Database) => Promise<number>): Promise<RunRecord> {
  return withWriteTransaction(what, body, (db, runId) => toRunRecord(db.prepare(`SELECT ${RUN_SELECT} FROM "Run" WHERE "id" = ?`).raw().get(runId) as unknown[]));
}

/**
 * The same one-at-a-time IMMEDIATE transaction for any write (saved sets too): `body` runs
 * inside it, `committed` (if given) reads what it wrote after COMMIT on the same connection.
 */
export function withWriteTransaction<T, R = T>(what: string, body: (db: Database) => Promise<T> | T, committed?: (db: Database, result: T) => R): Promise<R> {
  const turn = writeQueue.then(() => inTransactionNow(what, body, committed ?? ((_db, r) => r as unknown as R)));
  writeQueue = turn.catch(() => {});
  return turn;
}

let writeQueue: Promise<unknown> = Promise.resolve();

async function inTransactionNow<T, R>(what: string, body: (db: Database) => Promise<T> | T, committed: (db: Database, result: T) => R): Promise<R> {
  const url = databaseUrl();
  await ensureMigrated(url);
  const db = openBulkWriter(url);
  try {
    begin(db, what);
    try {
      const result = await body(db);
      db.exec("COMMIT");
      return committed(db, result);
    } finally {
      if (db.inTransaction) db.exec("ROLLBACK");
    }
  } finally {
    db.close();
  }
}

/** BEGIN IMMEDIATE takes the write lock now, so a name check inside cannot race another writer. */
function begin(db: Database, what: string): void {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      throw new DatabaseBusyError(what, { cause: error });
    }
    throw error;
  }
}

/** Every run field's stored value, in RUN_FIELDS order, validated (errors name the field). */
function runValues(run: NewRun): unknown[] {
  return RUN_FIELDS.map(([field, check]) => runFieldValue(run, field, check));
}

const quoted = RUN_FIELDS.map(([field]) => `"${field}"`);

function insertRun(db: Database, values: unknown[]): number {
  const sql = `INSERT INTO "Run" (${quoted.join(", ")}, "createdAt", "updatedAt") VALUES (${quoted.map(() => "?").join(", ")}, ?, ?)`;
  const now = storedNow();
  return Number(db.prepare(sql).run(...values, now, now).lastInsertRowid);
}

function updateRun(db: Database, runId: number, values: unknown[]): void {
  const keep = RUN_FIELDS.map(([field], i) => [field, i] as const).filter(([field]) => field !== "name");
  const sql = `UPDATE "Run" SET ${keep.map(([field]) => `"${field}" = ?`).join(", ")} WHERE "id" = ?`;
  db.prepare(sql).run(...keep.map(([, i]) => values[i]), runId);
}
