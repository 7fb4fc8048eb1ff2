import type { SqlQueryable } from "@prisma/driver-adapter-utils";
import { getConnection } from "./connection";
import { RUN_SELECT, toRunRecord } from "./run-record";
import { describeDbError, execute, queryRows, storedDate } from "./sql";
import type { RunCounts, RunRecord } from "./types";
import { watcherAlive } from "./watcher-marker";

/** A run as stored, except that a run whose watcher died is reported as no longer live. */
function toCheckedRun(row: unknown[]): RunRecord {
  const run = toRunRecord(row);
  if (run.live && !watcherAlive(run.name)) run.live = false;
  return run;
}

/** Newest first. A run is only ever visible once its whole write has committed. */
export async function listRuns(): Promise<RunRecord[]> {
  const rows = await queryRows(await getConnection(), `SELECT ${RUN_SELECT} FROM "Run" ORDER BY "createdAt" DESC, "id" DESC`);
  return rows.map(toCheckedRun);
}

export async function getRun(name: string): Promise<RunRecord | null> {
  const rows = await queryRows(await getConnection(), `SELECT ${RUN_SELECT} FROM "Run" WHERE "name" = ?`, [[name, "string"]]);
  return rows.length ? toCheckedRun(rows[0]) : null;
}

export async function getRunById(conn: SqlQueryable, id: number): Promise<RunRecord | null> {
  const rows = await queryRows(conn, `SELECT ${RUN_SELECT} FROM "Run" WHERE "id" = ?`, [[id, "int"]]);
  return rows.length ? toRunRecord(rows[0]) : null;
}

/** Deletes the run and, by the schema's cascades, its samples, dataset rows and examples. */
export async function deleteRun(name: string): Promise<boolean> {
  try {
    return (await execute(await getConnection(), `DELETE FROM "Run" WHERE "name" = ?`, [[name, "string"]])) > 0;
  } catch (error) {
    throw describeDbError(error, `deleting run "${name}"`);
  }
}

/**
 * Stores a run's counts at its own parameters, for the version of the run they were computed
 * from: a watched run that grew since keeps its counts cleared (appendRun), never stale ones.
 */
export async function storeRunCounts(run: RunRecord, counts: RunCounts): Promise<void> {
  const conn = await getConnection();
  try {
    await updateCounts(conn, run, counts);
  } catch (error) {
    throw describeDbError(error, `storing the counts of run "${run.name}"`);
  }
}

async function updateCounts(conn: SqlQueryable, run: RunRecord, counts: RunCounts): Promise<void> {
  // The same instant, however each database spells a stored DateTime.
  const sameTime = conn.provider === "postgres" ? `"updatedAt" = CAST(? AS TIMESTAMP(3))` : `julianday("updatedAt") = julianday(?)`;
  await execute(
    conn,
    `UPDATE "Run" SET "scoredCount" = ?, "excludedCount" = ?, "scoredEpochs" = ? WHERE "id" = ? AND ${sameTime}`,
    [
      [counts.scored, "int"],
      [counts.excluded, "int"],
      [counts.epochs, "int"],
      [run.id, "int"],
      [storedDate(run.updatedAt), "string"],
    ],
  );
}
