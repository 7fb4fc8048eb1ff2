import type { PoolClient } from "pg";
import { databaseUrl } from "./client";
import { ensureMigrated, getConnection } from "./connection";
import { RunExistsError } from "./errors";
import { numbered, postgresPool } from "./postgres-pool";
import { storedNow } from "./sql";
import { PostgresRunWriter } from "./postgres-run-writer";
import { COUNT_COLUMNS, RUN_FIELDS, RUN_SELECT, runFieldValue, toRunRecord } from "./run-record";
import { getRunById } from "./runs";
import type { NewRun, RunRecord, RunWriter } from "./types";

type Fill = (writer: RunWriter) => Promise<Partial<NewRun> | void>;
type FillAppend = (appender: RunWriter, run: RunRecord) => Promise<Partial<NewRun> | void>;

/**
 * writeRun on PostgreSQL: the run and all its rows in ONE transaction on a pooled `pg`
 * connection. A throw rolls back; a killed process's connection drops and the server rolls
 * back, so nothing is left. Where SQLite's write lock made the name check safe, a transaction
 * advisory lock on the run's name does here (two writers of one name take turns, writers of
 * different names run side by side), and the unique name constraint stays the last word.
 * With `replace` the old run is deleted inside the same transaction.
 */
export async function writeRunPostgres(run: NewRun, fill: Fill, opts: { replace?: boolean } = {}): Promise<RunRecord> {
  const values = runValues(run); // bad fields fail before anything is opened
  const name = run.name;
  return inPostgresTransaction(`writing run "${name}"`, name, async (tx) => {
    if (opts.replace) await tx.query(`DELETE FROM "Run" WHERE "name" = $1`, [name]); // cascades
    else if ((await tx.query(`SELECT 1 FROM "Run" WHERE "name" = $1`, [name])).rowCount) throw new RunExistsError(name);
    const runId = await insertRun(tx, values);
    const writer = await PostgresRunWriter.create(tx, runId, name);
    let totals: Partial<NewRun> | void;
    try {
      totals = await fill(writer);
      await writer.finish();
    } finally {
      writer.close();
    }
    if (totals) await updateRun(tx, runId, runValues({ ...run, ...totals, name }));
    return runId;
  });
}

/** appendRun on PostgreSQL: one transaction, the run's row locked (FOR UPDATE) so appends to it take turns. */
export async function appendRunPostgres(name: string, fill: FillAppend): Promise<RunRecord> {
  return inPostgresTransaction(`appending to run "${name}"`, name, async (tx) => {
    const found = await tx.query({ text: `SELECT ${RUN_SELECT} FROM "Run" WHERE "name" = $1 FOR UPDATE`, values: [name], rowMode: "array" });
    if (!found.rows.length) throw new Error(`no run named "${name}" to append to (it was deleted?)`);
    const run = toRunRecord(found.rows[0] as unknown[]);
    const appender = await PostgresRunWriter.create(tx, run.id, name);
    let changes: Partial<NewRun> | void;
    try {
      changes = await fill(appender, run);
      await appender.finish();
    } finally {
      appender.close();
    }
    changes ??= {};
    if ("name" in changes && changes.name !== run.name) throw new TypeError(`run "${run.name}": an append cannot rename the run`);
    const merged = { ...run, ...changes } as NewRun;
    const fields = RUN_FIELDS.filter(([field]) => field !== "name" && field in changes);
    const sets = [...fields.map(([field]) => `"${field}" = ?`), `"updatedAt" = ?`, ...COUNT_COLUMNS.map((c) => `"${c}" = NULL`)];
    const args = fields.map(([field, check]) => runFieldValue(merged, field, check));
    await tx.query(numbered(`UPDATE "Run" SET ${sets.join(", ")} WHERE "id" = ?`), [...args, storedNow(), run.id]);
    return run.id;
  });
}

/** BEGIN ... COMMIT on one pooled connection, the run's name locked; returns the run as committed. */
async function inPostgresTransaction(what: string, runName: string, body: (tx: PoolClient) => Promise<number>): Promise<RunRecord> {
  const url = databaseUrl();
  await ensureMigrated(url);
  const tx = await postgresPool(url).connect();
  let runId: number;
  try {
    await tx.query("BEGIN");
    try {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`lim run ${runName}`]);
      runId = await body(tx);
      await tx.query("COMMIT");
    } catch (error) {
      await tx.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    tx.release();
  }
  const run = await getRunById(await getConnection(), runId);
  if (!run) throw new Error(`${what}: the run was deleted as soon as it was committed`);
  return run;
}

function runValues(run: NewRun): unknown[] {
  return RUN_FIELDS.map(([field, check]) => runFieldValue(run, field, check));
}

const quoted = RUN_FIELDS.map(([field]) => `"${field}"`);

async function insertRun(tx: PoolClient, values: unknown[]): Promise<number> {
  const now = storedNow();
  const all = [...values, now, now];
  const sql = `INSERT INTO "Run" (${quoted.join(", ")}, "createdAt", "updatedAt") VALUES (${all.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING "id"`;
  return Number((await tx.query(sql, all)).rows[0].id);
}

async function updateRun(tx: PoolClient, runId: number, values: unknown[]): Promise<void> {
  const keep = RUN_FIELDS.map(([field], i) => [field, i] as const).filter(([field]) => field !== "name");
  await tx.query(numbered(`UPDATE "Run" SET ${keep.map(([field]) => `"${field}" = ?`).join(", ")} WHERE "id" = ?`), [...keep.map(([, i]) => values[i]), runId]);
}
