import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { blocksFromPrompts, columnsFromBlocks, promptStepCounts, rolloutTotals, type StepBlock } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";
import { appendRun, getExamples, getRun, loadRunColumns, loadSamples, writeRun, type SampleRecord } from "./index";
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

/** Per prompt, only its aggregates of steps from..to. */
function stepsIn(h: StepAggregate[][], from: number, to: number): StepAggregate[][] {
  return h.map((aggs) => aggs.filter((a) => a.step >= from && a.step <= to));
}

function samplesOf(count: number, tag: string, first = 0): SampleRecord[] {
  return Array.from({ length: count }, (_, i) => ({ ordinal: first + i, prompt: `${tag} prompt ${i}`, publishedScore: null, datasetRowIndex: null }));
}

test("appending step blocks gives the columns one write of every step gives", async () => {
  const h = history(40, 6);
  await writeRun(testRun("grown", { live: true, lastStep: 4, stepCount: 4, firstStep: 1, sampleCount: 40 }), async (w) => {
    await w.addSamples(samplesOf(40, "grown"));
    await w.addStepBlocks(blocksFromPrompts(stepsIn(h, 1, 4)));
  });
  const before = (await getRun("grown"))!;
  await new Promise((r) => setTimeout(r, 5)); // updatedAt has millisecond resolution

  const extra = stepsIn(history(3, 6), 5, 6); // three prompts first seen at step 5
  const all = [...h, ...extra]; // the late prompts get ordinals 40..42
  const after = await appendRun("grown", async (a, run) => {
    assert.equal(run.lastStep, 4, "fill sees the run as last committed");
    await a.addStepBlocks(blocksFromPrompts(stepsIn(all, 5, 6)));
    await a.addSamples(samplesOf(3, "late", 40));
    await a.addExamples([{ sampleOrdinal: 41, step: 5, epoch: 2, reward: 1, success: true, responseLength: 7, response: "x = 2" }]);
    return { lastStep: 6, stepCount: 6, sampleCount: 43, live: false };
  });

  const stored = await loadSamples(after.id);
  assert.deepEqual(stored, [...samplesOf(40, "grown"), ...samplesOf(3, "late", 40)]);
  assert.deepEqual(stored.slice(40).map((s) => [s.ordinal, s.prompt]), [[40, "late prompt 0"], [41, "late prompt 1"], [42, "late prompt 2"]]);
  const columns = await loadRunColumns(after.id, 43, { withSums: true });
  assert.deepEqual(columns, columnsFromBlocks(43, blocksFromPrompts(all)));
  // The same steps written at once store the same columns.
  const whole = await writeRun(testRun("grown-at-once"), async (w) => {
    await w.addSamples(stored);
    await w.addStepBlocks(blocksFromPrompts(all));
  });
  assert.deepEqual(await loadRunColumns(whole.id, 43, { withSums: true }), columns);
  assert.deepEqual(Array.from(rolloutTotals(columns)), [...Array(40).fill(48), 16, 16, 16]);
  assert.deepEqual(
    promptStepCounts(columns, 41, 1, "equals"),
    extra[1].map((a) => ({ step: a.step, rollouts: a.rollouts, successes: a.rewards[1].count, rewardSum: a.rewardSum, responseLengthSum: a.responseLengthSum })),
  );
  assert.equal((await getExamples(after.id, 41))[0].response, "x = 2");
  assert.deepEqual([after.lastStep, after.stepCount, after.sampleCount, after.live], [6, 6, 43, false]);
  assert.equal(after.createdAt.getTime(), before.createdAt.getTime());
  assert.ok(after.updatedAt.getTime() > before.updatedAt.getTime(), "updatedAt moves with every append");
  assert.equal(after.firstStep, 1, "fields the append does not return stay as they were");
});

test("block bytes that are not text survive the append unchanged", async () => {
  // Float bit patterns full of 0x00, 0xff and invalid UTF-8 (subnormals, -0, the extremes, NaN sums).
  const block = (step: number, rollouts: number, rewards: number[]): StepBlock => ({
    step,
    ordinal: new Uint32Array([0]),
    rollouts: new Uint32Array([rollouts]),
    rewardSum: new Float64Array([Number.NaN]),
    lengthSum: new Float64Array([-Number.MAX_VALUE]),
    rewardKinds: new Uint32Array([rewards.length]),
    rewardValue: new Float64Array(rewards),
    rewardCount: new Uint32Array(rewards.map(() => 0xffffffff)),
  });
  const first = block(1, 1, [5e-324, -0]);
  const more = block(2, 2, [Number.MAX_VALUE, -Number.MIN_VALUE, 0xc3]);
  await writeRun(testRun("bytes"), async (w) => {
    await w.addSamples([{ ordinal: 0, prompt: "p", publishedScore: null, datasetRowIndex: null }]);
    await w.addStepBlocks([first]);
  });
  const run = await appendRun("bytes", (a) => a.addStepBlocks([more]));
  const columns = await loadRunColumns(run.id, 1, { withSums: true });
  assert.deepEqual(columns, columnsFromBlocks(1, [first, more]));
  assert.ok(Object.is(columns.rewardValue[1], -0));
  assert.deepEqual(Array.from(rolloutTotals(columns)), [3]);
});

test("a failed append leaves the run as the previous commit left it", async () => {
  const h = history(5, 3);
  const written = await writeRun(testRun("kept-as-is", { lastStep: 2, live: true }), async (w) => {
    await w.addSamples(samplesOf(5, "k"));
    await w.addStepBlocks(blocksFromPrompts(stepsIn(h, 1, 2)));
  });
  markWatcher("kept-as-is"); // this process plays the watcher, so the run reads as live
  const before = await loadSamples(written.id);
  const columnsBefore = await loadRunColumns(written.id, 5, { withSums: true });

  const [good] = blocksFromPrompts(stepsIn(h, 3, 3));
  const unordered: StepBlock = { ...good, step: 4, ordinal: new Uint32Array([1, 0, 2, 3, 4]) };
  await assert.rejects(
    appendRun("kept-as-is", async (a) => {
      await a.addStepBlocks([good]);
      await a.addSamples(samplesOf(1, "new", 5));
      await a.addStepBlocks([unordered]);
      return { lastStep: 4 };
    }),
    /run "kept-as-is": addStepBlocks failed at element 0 of 1: step 4: prompt ordinals must be ascending/,
  );
  await assert.rejects(appendRun("kept-as-is", async () => ({ lastStep: -0.5 })), /field lastStep must be an integer/);
  await assert.rejects(appendRun("kept-as-is", async () => ({ name: "other" })), /cannot rename/);
  await assert.rejects(appendRun("no-such-run", async () => {}), /no run named "no-such-run"/);

  const run = (await getRun("kept-as-is"))!;
  assert.deepEqual(await loadSamples(run.id), before);
  assert.deepEqual(await loadRunColumns(run.id, 5, { withSums: true }), columnsBefore);
  assert.deepEqual([run.lastStep, run.live, run.updatedAt.getTime()], [2, true, written.updatedAt.getTime()]);
  clearWatcher("kept-as-is");
});

/** Starts an append in a child process that keeps writing examples; kills it mid-transaction. */
function killMidAppend(name: string): Promise<void> {
  const child = `
    const { appendRun } = await import(${JSON.stringify(path.join(root, "lib/db/append-run.ts"))});
    const { blocksFromPrompts } = await import(${JSON.stringify(path.join(root, "lib/lim/run-columns.ts"))});
    const text = "a worked answer ".repeat(100);
    await appendRun(${JSON.stringify(name)}, async (a) => {
      await a.addStepBlocks(blocksFromPrompts([[{ step: 9, rollouts: 8, rewardSum: 8, responseLengthSum: 40, rewards: [{ reward: 1, count: 8 }] }]]));
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
  const written = await writeRun(testRun("killed-append", { lastStep: 2, live: true }), async (w) => {
    await w.addSamples(samplesOf(3, "kill"));
    await w.addStepBlocks(blocksFromPrompts(h));
  });
  const before = await loadSamples(written.id);
  const columnsBefore = await loadRunColumns(written.id, 3, { withSums: true });

  await killMidAppend("killed-append");

  const run = (await getRun("killed-append"))!;
  assert.deepEqual(await loadSamples(run.id), before);
  assert.deepEqual(await loadRunColumns(run.id, 3, { withSums: true }), columnsBefore);
  assert.equal(run.updatedAt.getTime(), written.updatedAt.getTime());
  assert.deepEqual(await getExamples(run.id, 0), []);
  const db = new Database(tmp.file);
  assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  db.close();
  // No stale lock: the next append goes through.
  const next = await appendRun("killed-append", async () => ({ live: false }));
  assert.equal(next.live, false);
});
