import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { blocksFromPrompts, columnsFromBlocks } from "../lim/run-columns";
import { getRun, listRuns, loadRunColumns, loadSamples, writeRun, type SampleRecord } from "./index";
import { countRows, testRun, useTempDatabase, type TempDatabase } from "./test-db";
import { testPostgresUrl } from "./test-postgres";

/**
 * kill.test.ts for PostgreSQL (that one watches SQLite's WAL): an ingest SIGKILLed while its
 * transaction has sent tens of MB leaves no run and no rows; the server rolls it back when the
 * connection drops, and the name is free at once (the advisory lock went with the session).
 */
const here = path.dirname(fileURLToPath(import.meta.url));

describe("PostgreSQL: a killed writer", { skip: testPostgresUrl() ? false : "LIM_TEST_POSTGRES_URL is not set" }, () => {
  let tmp: TempDatabase;
  before(async () => {
    tmp = await useTempDatabase();
  });
  after(() => tmp.cleanup());

  /** Runs test-child.ts slow-write, waits until it is mid-transaction, SIGKILLs it. Returns ExampleBlock's size on disk at the kill. */
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
        if (String(d).includes("WRITING") && !child.killed) {
          size = tableBytes(tmp.url, "ExampleBlock").finally(() => child.kill("SIGKILL"));
        }
      });
      child.on("exit", (code, signal) => {
        if (signal === "SIGKILL") size.then(resolve, reject);
        else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
      });
    });
  }

  test("leaves no run behind and the database intact", { timeout: 60_000 }, async () => {
    const samples: SampleRecord[] = Array.from({ length: 100 }, (_, ordinal) => ({ ordinal, prompt: `p${ordinal}`, publishedScore: null, datasetRowIndex: null }));
    const steps = blocksFromPrompts(samples.map((s) => [{ step: 1, rollouts: 8, rewardSum: s.ordinal % 8, responseLengthSum: 100 + s.ordinal, rewards: [{ reward: 0, count: 8 - (s.ordinal % 8) }, { reward: 1, count: s.ordinal % 8 }] }]));
    const kept = await writeRun(testRun("kept"), async (w) => {
      await w.addSamples(samples);
      await w.addStepBlocks(steps);
    });

    const bytes = await killMidWrite("killed");
    assert.ok(bytes > 10_000_000, `the kill should land after uncommitted rows reached the server (ExampleBlock held ${bytes} bytes)`);

    assert.deepEqual((await listRuns()).map((r) => r.name), ["kept"]);
    assert.equal(await getRun("killed"), null);
    assert.deepEqual(await loadSamples(kept.id), samples);
    assert.deepEqual(await loadRunColumns(kept.id, 100, { withSums: true }), columnsFromBlocks(100, steps));
    // The dropped connection's rollback may take the server a moment to finish.
    for (let i = 0; i < 50 && (await countRows(tmp.url, "ExampleBlock")) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await countRows(tmp.url, "ExampleBlock"), 0);
    assert.equal(await countRows(tmp.url, "StepBlock"), 1, "only the kept run's one step");
    assert.equal(await countRows(tmp.url, "Run"), 1);

    const again = await writeRun(testRun("killed"), (w) => w.addSamples(samples.slice(0, 3)));
    assert.equal((await loadSamples(again.id)).length, 3);
  });
});

async function tableBytes(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT pg_total_relation_size('"${table}"') AS n`)).rows[0].n);
  } finally {
    await client.end();
  }
}
