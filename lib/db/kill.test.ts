import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { blocksFromPrompts, columnsFromBlocks } from "../lim/run-columns";
import { getRun, listRuns, loadRunColumns, loadSamples, writeRun, type SampleRecord } from "./index";
import { testRun, useTempDatabase, type TempDatabase } from "./test-db";

const here = path.dirname(fileURLToPath(import.meta.url));

let tmp: TempDatabase;
before(async () => {
  tmp = await useTempDatabase();
});
after(() => tmp.cleanup());

/** Runs test-child.ts slow-write, waits until it is mid-transaction, SIGKILLs it. Returns the WAL size at the kill. */
function killMidWrite(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "test-child.ts"), "slow-write", name], {
      cwd: path.resolve(here, "../.."),
      env: { ...process.env, DATABASE_URL: tmp.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let walBytes = 0;
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      if (String(d).includes("WRITING") && !child.killed) {
        walBytes = existsSync(`${tmp.file}-wal`) ? statSync(`${tmp.file}-wal`).size : 0;
        child.kill("SIGKILL");
      }
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(walBytes);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
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

  const walBytes = await killMidWrite("killed");
  assert.ok(walBytes > 10_000_000, `the kill should land after uncommitted pages reached the WAL (it held ${walBytes} bytes)`);

  // This process's connection was open throughout; a new one must agree.
  assert.deepEqual((await listRuns()).map((r) => r.name), ["kept"]);
  assert.equal(await getRun("killed"), null);
  assert.deepEqual(await loadSamples(kept.id), samples);
  assert.deepEqual(await loadRunColumns(kept.id, 100, { withSums: true }), columnsFromBlocks(100, steps));
  const db = new Database(tmp.file);
  assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  assert.equal(db.prepare(`SELECT count(*) FROM "ExampleBlock"`).pluck().get(), 0);
  assert.equal(db.prepare(`SELECT count(*) FROM "Example"`).pluck().get(), 0);
  assert.equal(db.prepare(`SELECT count(*) FROM "StepBlock"`).pluck().get(), 1, "only the kept run's one step");
  assert.equal(db.prepare(`SELECT count(*) FROM "Run"`).pluck().get(), 1);
  db.close();

  // No stale lock: the same name can be written right away.
  const again = await writeRun(testRun("killed"), (w) => w.addSamples(samples.slice(0, 3)));
  assert.equal((await loadSamples(again.id)).length, 3);
});
