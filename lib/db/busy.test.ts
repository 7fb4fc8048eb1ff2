import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { capBusyTimeout, SERVER_BUSY_TIMEOUT_MS } from "./busy-timeout";
import { closeDb } from "./connection";
import { DatabaseBusyError, deleteRun, deleteSavedSet, getRun, listRuns, storeRunCounts, writeRun } from "./index";
import { testPostgresUrl } from "./test-postgres";
import { testRun, useTempDatabase, type TempDatabase } from "./test-db";

// SQLite's lock: another process (a CLI ingest) holds the write lock for its whole run. The
// web server caps its waits, so its writes fail at once, in words, and its reads go on.
const onSqlite = !testPostgresUrl();

let tmp: TempDatabase;
before(async () => {
  if (!onSqlite) return;
  tmp = await useTempDatabase();
  await writeRun(testRun("kept"), async (w) => {
    await w.addSamples([{ ordinal: 0, prompt: "p", publishedScore: null, datasetRowIndex: null }]);
  });
  await closeDb();
  capBusyTimeout(SERVER_BUSY_TIMEOUT_MS);
});
after(async () => {
  capBusyTimeout(Infinity);
  await tmp?.cleanup();
});

/** Runs `body` while a second connection (as an ingest would) holds the write lock. */
async function whileAnotherWrites<T>(body: () => Promise<T>): Promise<T> {
  const other = new Database(tmp.file);
  other.exec("BEGIN IMMEDIATE");
  try {
    return await body();
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
}

async function busyWithin(what: () => Promise<unknown>, ms: number): Promise<DatabaseBusyError> {
  const started = performance.now();
  const error = await what().then(
    () => assert.fail("the write went through while another connection held the lock"),
    (e: unknown) => e,
  );
  const waited = performance.now() - started;
  assert.ok(error instanceof DatabaseBusyError, `expected DatabaseBusyError, got ${String(error)}`);
  assert.ok(waited < ms, `waited ${waited.toFixed(0)} ms for the lock (the cap is ${SERVER_BUSY_TIMEOUT_MS} ms)`);
  return error;
}

test("deleting a run while another process writes fails at once, saying the database is busy", { skip: !onSqlite && "SQLite's lock" }, async () => {
  const error = await whileAnotherWrites(() => busyWithin(() => deleteRun("kept"), 2_000));
  assert.match(error.message, /deleting run "kept": the database is busy/);
  assert.ok(await getRun("kept"), "the run is still there");
  assert.equal(await deleteRun("kept-nowhere"), false, "after the lock, writes go through again");
});

test("saved-set writes and stored counts fail the same way; reads go on", { skip: !onSqlite && "SQLite's lock" }, async () => {
  await whileAnotherWrites(async () => {
    await busyWithin(() => deleteSavedSet("some-set"), 2_000);
    const run = (await getRun("kept"))!;
    await busyWithin(() => storeRunCounts(run, { scored: 1, excluded: 0, epochs: 1 }), 2_000);
    assert.deepEqual((await listRuns()).map((r) => r.name), ["kept"]);
  });
});
