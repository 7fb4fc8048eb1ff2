import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { blocksFromPrompts, columnsFromBlocks } from "../lim/run-columns";
import { generatedLog, ingestArgs, lim, runOutputs, spawnLim, strayRows, type GeneratedLog } from "./concurrency-fixtures";
import { getRun, listRuns, loadRunColumns, loadSamples, writeRun, type SampleRecord } from "./index";
import { countRows, testRun, useTempDatabase, type TempDatabase } from "./test-db";
import { testPostgresUrl } from "./test-postgres";

/**
 * A writer SIGKILLed mid-write leaves no run and no rows behind, and the name is free at once.
 * SQLite: the uncommitted pages in the WAL file are ignored by every later reader. PostgreSQL:
 * the server rolls the transaction back when the connection drops, and the name's advisory lock
 * goes with the session. Runs on the database of the pass (PostgreSQL under LIM_TEST_POSTGRES_URL).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const onPostgres = testPostgresUrl() !== null;

let tmp: TempDatabase;
before(async () => {
  tmp = await useTempDatabase();
});
after(() => tmp.cleanup());

/** How many bytes the uncommitted write has put where the database keeps it: SQLite's WAL file, or ExampleBlock's size on PostgreSQL. */
async function uncommittedBytes(): Promise<number> {
  if (!onPostgres) return existsSync(`${tmp.file}-wal`) ? statSync(`${tmp.file}-wal`).size : 0;
  const client = new pg.Client({ connectionString: tmp.url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT pg_total_relation_size('"ExampleBlock"') AS n`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Runs test-child.ts slow-write, waits until it is mid-transaction, SIGKILLs it. Returns uncommittedBytes() at the kill. */
function killMidWrite(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "test-child.ts"), "slow-write", name], {
      cwd: path.resolve(here, "../.."),
      env: { ...process.env, DATABASE_URL: tmp.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let size: Promise<number> = Promise.resolve(0);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      if (String(d).includes("WRITING") && !child.killed) size = uncommittedBytes().finally(() => child.kill("SIGKILL"));
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") size.then(resolve, reject);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

/** A SIGKILLed connection's rollback may take the PostgreSQL server a moment to finish. */
async function settled(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
}

function sqliteIntegrity(): string {
  const db = new Database(tmp.file, { readonly: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}

test("a writer killed mid-transaction leaves no run behind and the database intact", { timeout: 60_000 }, async () => {
  const samples: SampleRecord[] = Array.from({ length: 100 }, (_, ordinal) => ({
    ordinal, prompt: `p${ordinal}`, publishedScore: null, datasetRowIndex: null,
  }));
  const steps = blocksFromPrompts(samples.map((s) => [{ step: 1, rollouts: 8, rewardSum: s.ordinal % 8, responseLengthSum: 100 + s.ordinal, rewards: [{ reward: 0, count: 8 - (s.ordinal % 8) }, { reward: 1, count: s.ordinal % 8 }] }]));
  const kept = await writeRun(testRun("kept"), async (w) => {
    await w.addSamples(samples);
    await w.addStepBlocks(steps);
  });

  const bytes = await killMidWrite("killed");
  assert.ok(bytes > 10_000_000, `the kill should land after uncommitted data reached the database (${onPostgres ? "ExampleBlock" : "the WAL"} held ${bytes} bytes)`);

  // This process's connection was open throughout; a new one must agree.
  assert.deepEqual((await listRuns()).map((r) => r.name), ["kept"]);
  assert.equal(await getRun("killed"), null);
  assert.deepEqual(await loadSamples(kept.id), samples);
  assert.deepEqual(await loadRunColumns(kept.id, 100, { withSums: true }), columnsFromBlocks(100, steps));
  await settled(async () => (await countRows(tmp.url, "ExampleBlock")) === 0);
  if (!onPostgres) assert.equal(sqliteIntegrity(), "ok");
  assert.equal(await countRows(tmp.url, "ExampleBlock"), 0);
  assert.equal(await countRows(tmp.url, "Example"), 0);
  assert.equal(await countRows(tmp.url, "StepBlock"), 1, "only the kept run's one step");
  assert.equal(await countRows(tmp.url, "Run"), 1);

  // No stale lock: the same name can be written right away.
  const again = await writeRun(testRun("killed"), (w) => w.addSamples(samples.slice(0, 3)));
  assert.equal((await loadSamples(again.id)).length, 3);
});

describe("lim ingest killed at several points", { timeout: 300_000 }, () => {
  let dir: string;
  let log: GeneratedLog;
  let solo: { exported: string; scores: string };
  let aloneMs: number;

  const names = async () => (await listRuns()).map((r) => r.name).sort();
  const ids = async () => (await listRuns()).map((r) => r.id);

  /** Starts the ingest, SIGKILLs it after `ms`; true when the kill landed before it ended on its own. */
  async function killAfter(args: string[], ms: number): Promise<boolean> {
    const ingest = spawnLim(tmp.url, args);
    const timer = setTimeout(() => ingest.child.kill("SIGKILL"), ms);
    const r = await ingest.done;
    clearTimeout(timer);
    if (r.signal === "SIGKILL") return true;
    assert.equal(r.code, 0, r.stderr);
    return false;
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-kill-"));
    log = await generatedLog(path.join(dir, "log"), 6000, 404);
    const t = performance.now();
    await lim(tmp.url, ingestArgs(log, "whole"));
    aloneMs = performance.now() - t;
    solo = await runOutputs(tmp.url, "whole");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a new run killed early, midway or late is absent or whole, and nothing else changed", async (t) => {
    let midway = 0;
    const fractions = [0.15, 0.4, 0.65, 0.9];
    for (const [k, f] of fractions.entries()) {
      const name = `killed-${k}`;
      if (await killAfter(ingestArgs(log, name), Math.round(aloneMs * f))) midway++;
      await settled(async () => Object.keys(await strayRows(tmp.url, await ids())).length === 0);
      const killed = await getRun(name);
      // A kill just after COMMIT leaves the whole run (its counts may still be missing).
      if (killed) assert.deepEqual(await runOutputs(tmp.url, name), solo, `${name} was committed, so it must be whole`);
      assert.deepEqual(await strayRows(tmp.url, await ids()), {}, `no rows of an uncommitted ${name} are left`);
      if (!onPostgres) assert.equal(sqliteIntegrity(), "ok");
    }
    t.diagnostic(`${midway} of ${fractions.length} kills landed before the ingest ended (alone it takes ${aloneMs.toFixed(0)} ms)`);
    assert.ok(midway >= 2, `at least two kills landed before the ingest finished (${midway} of ${fractions.length})`);
    assert.deepEqual(await runOutputs(tmp.url, "whole"), solo);
    // No lock left behind: the killed names can be ingested now.
    await lim(tmp.url, ingestArgs(log, "killed-0", "--replace"));
    assert.deepEqual(await runOutputs(tmp.url, "killed-0"), solo);
  });

  test("a --replace killed midway leaves the old run as it was", async () => {
    const other = await generatedLog(path.join(dir, "other"), 6000, 505);
    const listed = await names();
    assert.ok(await killAfter(ingestArgs(other, "whole", "--replace"), Math.round(aloneMs * 0.5)), "the kill landed before the replace finished");
    await settled(async () => Object.keys(await strayRows(tmp.url, await ids())).length === 0);
    assert.deepEqual(await names(), listed);
    assert.deepEqual(await runOutputs(tmp.url, "whole"), solo);
    assert.deepEqual(await strayRows(tmp.url, await ids()), {});
    if (!onPostgres) assert.equal(sqliteIntegrity(), "ok");
  });
});
