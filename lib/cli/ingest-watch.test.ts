import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { generateRun } from "../demo/generate-run";
import { closeDb, getRun } from "../db";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { tempDir } from "../ingest/test-helpers";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/lim.mjs");
let db: TempDatabase;
const tmp = tempDir("lim-cli-watch-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== null) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test("lim ingest --watch follows a folder until Ctrl-C and keeps every step it read", { timeout: 90_000 }, async () => {
  const gen = await generateRun({ dir: path.join(tmp.dir, "staging"), prompts: 30, epochs: 3, stepsPerEpoch: 2, promptsPerStep: 15, rolloutsPerPrompt: 2, responseBytes: 40, seed: 3 });
  const dir = path.join(tmp.dir, "watched");
  mkdirSync(dir);
  const add = (steps: number[]) => steps.forEach((s) => copyFileSync(path.join(gen.trainDir, `step_${s}.json`), path.join(dir, `step_${s}.json`)));
  add([1, 2]);
  const args = ["ingest", dir, "--name", "followed", "--format", "openrlhf", "--steps-per-epoch", "3", "--watch", "--settle-seconds", "0.2"];
  const child = spawn(process.execPath, [BIN, ...args], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));

  const lastStep = async (n: number) => {
    const run = await getRun("followed");
    return run && run.lastStep >= n ? run : null;
  };
  const first = await until("the run with steps 1-2", () => lastStep(2));
  assert.equal(first.live, true, "the run reads as live while the watcher runs");
  add([3, 4, 5, 6]);
  await until("steps 3-6 appended", () => lastStep(6));
  child.kill("SIGINT");
  assert.equal(await exited, 0, stderr);
  await closeDb(); // read what the watcher committed last, on a fresh connection

  const run = (await getRun("followed"))!;
  assert.deepEqual([run.stepCount, run.lastStep, run.live, run.sampleCount], [6, 6, false, 30]);
  assert.match(stderr, /stopped following "followed": 6 steps, 30 prompts kept/);
  // What two epochs (6 steps of 3) cannot support is said once, after the run stopped growing.
  const stopped = stderr.indexOf("stopped following");
  const warned = stderr.indexOf("warning: Only 2 epochs are counted");
  assert.ok(warned > stopped, `the method warning follows the end of the watch:\n${stderr}`);
  assert.equal(stderr.split("warning: Only 2 epochs").length - 1, 1, "said once");
});
