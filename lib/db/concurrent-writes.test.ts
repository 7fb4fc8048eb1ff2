import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { generatedLog, ingestArgs, lim, runOutputs, spawnLim, strayRows, type GeneratedLog } from "./concurrency-fixtures";
import { getRun } from "./index";
import { useTempDatabase, type TempDatabase } from "./test-db";
import { testPostgresUrl } from "./test-postgres";

/**
 * Several processes on one database, as on a team server: ingests side by side, and reads
 * (`lim score`, `lim export`) while a run is being written. On SQLite writers take turns
 * (one write lock, the second waits for it); on PostgreSQL they write at the same time. Either
 * way every run must land whole, and what a user reads must not change while another run is
 * written. Runs on the database of the pass (SQLite, or PostgreSQL under LIM_TEST_POSTGRES_URL).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const db = testPostgresUrl() ? "PostgreSQL" : "SQLite";

describe(`concurrent writes (${db})`, { timeout: 240_000 }, () => {
  let dir: string;
  let logA: GeneratedLog;
  let logB: GeneratedLog;
  let alone: { a: { exported: string; scores: string }; b: { exported: string; scores: string } };
  let shared: TempDatabase;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-concurrent-"));
    // A few thousand prompts each: an ingest takes seconds here, long enough to overlap.
    logA = await generatedLog(path.join(dir, "a"), 3000, 101);
    logB = await generatedLog(path.join(dir, "b"), 3000, 202);
    const solo = await useTempDatabase();
    try {
      await lim(solo.url, ingestArgs(logA, "a"));
      await lim(solo.url, ingestArgs(logB, "b"));
      alone = { a: await runOutputs(solo.url, "a"), b: await runOutputs(solo.url, "b") };
    } finally {
      await solo.cleanup();
    }
    assert.ok(alone.a.exported.split("\n").length > 100, "the export holds rows to compare");
    assert.notEqual(alone.a.exported, alone.b.exported);
    shared = await useTempDatabase();
    await lim(shared.url, ["runs", "--json"]); // migrated before the race: the race is the writes'
  });
  after(async () => {
    await shared?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("two ingests started together both land, each as it does alone", async () => {
    const a = spawnLim(shared.url, ingestArgs(logA, "a"));
    const b = spawnLim(shared.url, ingestArgs(logB, "b"));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.ok(rb.startedAt < ra.endedAt && ra.startedAt < rb.endedAt, "the two processes ran at the same time");
    assert.deepEqual((JSON.parse(await lim(shared.url, ["runs", "--json"])) as { name: string }[]).map((r) => r.name).sort(), ["a", "b"]);
    assert.deepEqual(await runOutputs(shared.url, "a"), alone.a);
    assert.deepEqual(await runOutputs(shared.url, "b"), alone.b);
    const ids = await Promise.all(["a", "b"].map(async (n) => (await getRun(n))!.id));
    assert.deepEqual(await strayRows(shared.url, ids), {});
  });

  test("lim score and lim export answer as before while a writer holds its transaction open", async () => {
    // The bulk writer ingest uses (writeRun), holding ~35 MB uncommitted until it is killed:
    // a window that does not depend on the machine's speed.
    const writer = spawn(process.execPath, ["--import", "tsx", path.join(here, "test-child.ts"), "slow-write", "held"], {
      cwd: path.resolve(here, "../.."),
      env: { ...process.env, DATABASE_URL: shared.url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((r) => writer.on("exit", r));
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on("data", (d) => String(d).includes("WRITING") && resolve());
        writer.on("exit", (code) => reject(new Error(`the writer exited (${code}) before it was writing`)));
      });
      assert.deepEqual(await runOutputs(shared.url, "a"), alone.a);
      assert.deepEqual(await runOutputs(shared.url, "b"), alone.b);
      assert.equal(writer.exitCode, null, "the writer was still in its transaction");
    } finally {
      writer.kill("SIGKILL");
      await exited;
    }
    assert.equal(await getRun("held"), null);
  });

  test("lim score and lim export answer as before while lim ingest writes a run", async (t) => {
    // Eight times the prompts: the ingest outlasts a score and an export a few times over.
    const logC = await generatedLog(path.join(dir, "c"), 24_000, 303);
    const ingest = spawnLim(shared.url, ingestArgs(logC, "c"));
    let running = true;
    void ingest.done.then(() => (running = false));
    let during = 0;
    // A score and an export at once, again and again until the ingest is done; each must agree with the run alone.
    while (running) {
      assert.deepEqual(await runOutputs(shared.url, "b"), alone.b);
      if (running) during++;
    }
    const r = await ingest.done;
    assert.equal(r.code, 0, r.stderr);
    t.diagnostic(`${during} lim score and lim export pairs answered while the ingest wrote (it took ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s)`);
    assert.ok(during >= 1, "a score and an export at least ran wholly while the ingest wrote");
    assert.equal((await getRun("c"))!.sampleCount, 24_000);
    assert.deepEqual(await runOutputs(shared.url, "a"), alone.a);
  });
});
