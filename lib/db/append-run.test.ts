import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { encodeStepAggregates } from "../lim/step-aggregates";
import type { StepAggregate } from "../lim/types";
import { appendRun, getExamples, getRun, loadSamples, writeRun, type SampleRecord } from "./index";
import { seededRandom, testRun, useTempDatabase, type TempDatabase } from "./test-db";
import { clearWatcher, markWatcher } from "./watcher-marker";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let tmp: TempDatabase;
before(async () => {
  tmp = await useTempDatabase();
});
after(() => tmp.cleanup());

const rand = seededRandom(11);
function stepAgg(step: number): StepAggregate {
  const wins = Math.floor(rand() * 9);
  return { step, rollouts: 8, rewardSum: wins - 0.5 * (8 - wins), responseLengthSum: 900 + step, rewards: [{ reward: -0.5, count: 8 - wins }, { reward: 1, count: wins }] };
}

/** Per prompt, its aggregates for steps 1..steps (every prompt every step). */
function history(prompts: number, steps: number): StepAggregate[][] {
  return Array.from({ length: prompts }, () => Array.from({ length: steps }, (_, k) => stepAgg(k + 1)));
}

function samplesOf(h: StepAggregate[][], upTo: number, tag: string): SampleRecord[] {
  return h.map((aggs, ordinal) => ({
    ordinal,
    prompt: `${tag} prompt ${ordinal}`,
    steps: encodeStepAggregates(aggs.filter((a) => a.step <= upTo)),
    rolloutCount: 8 * Math.min(upTo, aggs.length),
    publishedScore: null,
    datasetRowIndex: null,
  }));
}

test("appending steps to stored samples gives the blobs one write of every step gives", async () => {
  const h = history(40, 6);
  await writeRun(testRun("grown", { live: true, lastStep: 4, stepCount: 4, firstStep: 1, sampleCount: 40 }), (w) => w.addSamples(samplesOf(h, 4, "grown")));
  const before = (await getRun("grown"))!;
  await new Promise((r) => setTimeout(r, 5)); // updatedAt has millisecond resolution

  const extra = history(3, 6); // three prompts first seen at step 5
  const after = await appendRun("grown", async (a, run) => {
    assert.equal(run.lastStep, 4, "fill sees the run as last committed");
    await a.appendSteps(h.map((aggs, ordinal) => ({ ordinal, steps: encodeStepAggregates(aggs.slice(4)), rolloutCount: 16 })));
    await a.addSamples(
      samplesOf(extra, 6, "late").map((s, i) => ({ ...s, ordinal: 40 + i, steps: encodeStepAggregates(extra[i].slice(4)), rolloutCount: 16 })),
    );
    await a.addExamples([{ sampleOrdinal: 41, step: 5, epoch: 2, reward: 1, success: true, responseLength: 7, response: "x = 2" }]);
    return { lastStep: 6, stepCount: 6, sampleCount: 43, live: false };
  });

  const stored = await loadSamples(after.id);
  assert.deepEqual(
    stored.slice(0, 40),
    samplesOf(h, 6, "grown").map((s) => ({ ...s, steps: new Uint8Array(s.steps) })),
  );
  assert.deepEqual(stored.slice(40).map((s) => [s.ordinal, s.prompt, s.rolloutCount]), [[40, "late prompt 0", 16], [41, "late prompt 1", 16], [42, "late prompt 2", 16]]);
  assert.deepEqual(stored[41].steps, encodeStepAggregates(extra[1].slice(4)));
  assert.equal((await getExamples(after.id, 41))[0].response, "x = 2");
  assert.deepEqual([after.lastStep, after.stepCount, after.sampleCount, after.live], [6, 6, 43, false]);
  assert.equal(after.createdAt.getTime(), before.createdAt.getTime());
  assert.ok(after.updatedAt.getTime() > before.updatedAt.getTime(), "updatedAt moves with every append");
  assert.equal(after.firstStep, 1, "fields the append does not return stay as they were");
});

test("blob bytes that are not text survive the append unchanged", async () => {
  const first = new Uint8Array([0, 255, 0xc3, 0, 0x80, 1]);
  const more = new Uint8Array([0xff, 0, 0xfe, 0xc0, 0x80, 0, 0]);
  await writeRun(testRun("bytes"), (w) => w.addSamples([{ ordinal: 0, prompt: "p", steps: first, rolloutCount: 1, publishedScore: null, datasetRowIndex: null }]));
  const run = await appendRun("bytes", (a) => a.appendSteps([{ ordinal: 0, steps: more, rolloutCount: 2 }]));
  const [s] = await loadSamples(run.id);
  assert.deepEqual(s.steps, new Uint8Array([...first, ...more]));
  assert.equal(s.rolloutCount, 3);
});

test("a failed append leaves the run as the previous commit left it", async () => {
  const h = history(5, 3);
  const written = await writeRun(testRun("kept-as-is", { lastStep: 2, live: true }), (w) => w.addSamples(samplesOf(h, 2, "k")));
  markWatcher("kept-as-is"); // this process plays the watcher, so the run reads as live
  const before = await loadSamples(written.id);

  await assert.rejects(
    appendRun("kept-as-is", async (a) => {
      await a.appendSteps([{ ordinal: 0, steps: encodeStepAggregates([h[0][2]]), rolloutCount: 8 }]);
      await a.appendSteps([{ ordinal: 99, steps: encodeStepAggregates([h[0][2]]), rolloutCount: 8 }]);
      return { lastStep: 3 };
    }),
    /run "kept-as-is": element 0: the run has no sample with ordinal 99/,
  );
  await assert.rejects(appendRun("kept-as-is", async () => ({ lastStep: -0.5 })), /field lastStep must be an integer/);
  await assert.rejects(appendRun("kept-as-is", async () => ({ name: "other" })), /cannot rename/);
  await assert.rejects(appendRun("no-such-run", async () => {}), /no run named "no-such-run"/);

  const run = (await getRun("kept-as-is"))!;
  assert.deepEqual(await loadSamples(run.id), before);
  assert.deepEqual([run.lastStep, run.live, run.updatedAt.getTime()], [2, true, written.updatedAt.getTime()]);
  clearWatcher("kept-as-is");
});

/** Starts an append in a child process that keeps writing examples; kills it mid-transaction. */
function killMidAppend(name: string): Promise<void> {
  const child = `
    const { appendRun } = await import(${JSON.stringify(path.join(root, "lib/db/append-run.ts"))});
    const text = "a worked answer ".repeat(100);
    await appendRun(${JSON.stringify(name)}, async (a) => {
      await a.appendSteps([{ ordinal: 0, steps: new Uint8Array([9, 9, 9]), rolloutCount: 8 }]);
      for (let batch = 0; ; batch++) {
        await a.addExamples(Array.from({ length: 500 }, () => ({ sampleOrdinal: 0, step: 9, epoch: 3, reward: 1, success: true, responseLength: 5, response: text })));
        if (batch === 40) process.stdout.write("APPENDING\\n");
        if (batch >= 40) await new Promise((r) => setTimeout(r, 50));
      }
    });`;
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: tmp.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    proc.stdout.on("data", (d) => {
      if (String(d).includes("APPENDING") && !proc.killed) proc.kill("SIGKILL");
    });
    proc.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`appender exited on its own (code ${code}): ${stderr}`))));
  });
}

test("an append killed mid-transaction leaves the run as of the previous append", { timeout: 60_000 }, async () => {
  const h = history(3, 2);
  const written = await writeRun(testRun("killed-append", { lastStep: 2, live: true }), (w) => w.addSamples(samplesOf(h, 2, "kill")));
  const before = await loadSamples(written.id);

  await killMidAppend("killed-append");

  const run = (await getRun("killed-append"))!;
  assert.deepEqual(await loadSamples(run.id), before);
  assert.equal(run.updatedAt.getTime(), written.updatedAt.getTime());
  assert.deepEqual(await getExamples(run.id, 0), []);
  const db = new Database(tmp.file);
  assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  db.close();
  // No stale lock: the next append goes through.
  const next = await appendRun("killed-append", async () => ({ live: false }));
  assert.equal(next.live, false);
});
