import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { generateRun, type GeneratedRun } from "../../demo/generate-run";
import { generateVerl } from "../../demo/generate-verl";
import { getExamples, getRun, loadRunColumns, loadSamples, type RunRecord } from "../../db";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { ingestRun } from "../ingest-run";
import { tempDir } from "../test-helpers";
import { watchRun, type WatchOptions } from "./watch-run";

// 4 epochs of 3 steps, 28 of 90 prompts per step: new prompts keep appearing in later steps.
const SHAPE = { prompts: 90, epochs: 4, stepsPerEpoch: 3, promptsPerStep: 28, rolloutsPerPrompt: 4, responseBytes: 120, seed: 5 };
const TIMING = { pollMs: 20, settleMs: 80 };

let db: TempDatabase;
const tmp = tempDir("lim-watch-");
let gen: GeneratedRun;

before(async () => {
  db = await useTempDatabase();
  gen = await generateRun({ dir: path.join(tmp.dir, "staging"), ...SHAPE });
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

const stepFile = (step: number) => path.join(gen.trainDir, `step_${step}.json`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Moves steps from the staging run into a watched directory, as a trainer would write them. */
function addSteps(dir: string, steps: number[]): void {
  mkdirSync(dir, { recursive: true });
  for (const s of steps) copyFileSync(stepFile(s), path.join(dir, `step_${s}.json`));
}

/** A watch running in the background, with what it reported. */
function startWatch(o: Partial<WatchOptions> & { path: string; name: string }) {
  const ctrl = new AbortController();
  const appends: number[][] = [];
  const messages: string[] = [];
  let last: RunRecord | null = null;
  const done = watchRun({
    stepsPerEpoch: SHAPE.stepsPerEpoch,
    dataset: { file: gen.datasetFile },
    ...TIMING,
    ...o,
    signal: ctrl.signal,
    onAppend: (run, steps) => {
      appends.push(steps);
      last = run;
    },
    onMessage: (m) => messages.push(m),
  });
  done.catch(() => {}); // awaited by each test
  const untilStep = async (step: number, timeoutMs = 10_000) => {
    const t0 = Date.now();
    while ((last?.lastStep ?? 0) < step) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`no append reached step ${step} in ${timeoutMs} ms (appends: ${JSON.stringify(appends)}; ${messages.join(" | ")})`);
      await sleep(10);
    }
    return last!;
  };
  return { stop: () => ctrl.abort(), done, appends, messages, untilStep };
}

/** The same steps ingested in one go, for comparison. */
async function oneShot(name: string, steps: number[]): Promise<RunRecord> {
  const dir = path.join(tmp.dir, name);
  addSteps(dir, steps);
  return ingestRun({ path: dir, name, stepsPerEpoch: SHAPE.stepsPerEpoch, dataset: { file: gen.datasetFile } });
}

const COUNTS = ["sampleCount", "rolloutCount", "stepCount", "firstStep", "lastStep", "bytesRead", "stepsPerEpoch", "datasetRowCount", "unmatchedPrompts", "unseenDatasetRows", "warnings", "successRule"] as const;
const counts = (r: RunRecord) => Object.fromEntries(COUNTS.map((k) => [k, r[k]]));

async function assertSameAs(watched: RunRecord, ref: RunRecord, what: string): Promise<void> {
  assert.deepEqual(counts(watched), counts(ref), `${what}: run counts`);
  // Every sample: ordinal, prompt, dataset row; and every step's block, value for value (rollouts, reward histograms, sums).
  assert.deepEqual(await loadSamples(watched.id), await loadSamples(ref.id), `${what}: samples`);
  assert.deepEqual(
    await loadRunColumns(watched.id, watched.sampleCount, { withSums: true }),
    await loadRunColumns(ref.id, ref.sampleCount, { withSums: true }),
    `${what}: step columns`,
  );
}

async function examplesOf(run: RunRecord, maxEpoch = Infinity) {
  const out = [];
  for (let o = 0; o < run.sampleCount; o++) out.push((await getExamples(run.id, o)).filter((e) => e.epoch <= maxEpoch));
  return out;
}

test("a watched run grows append by append to what a one-shot ingest of the same files stores", { timeout: 60_000 }, async () => {
  const dir = path.join(tmp.dir, "watched");
  addSteps(dir, [1, 2]);
  const w = startWatch({ path: dir, name: "live" });

  let run = await w.untilStep(2);
  assert.equal(run.live, true);
  assert.equal(run.successRule, "equals", "OpenRLHF: reward == success reward, as the reference");
  assert.deepEqual(w.appends, [[1, 2]], "the steps present at the start make the run");
  await assertSameAs(run, await oneShot("ref-2", [1, 2]), "created from steps 1-2");

  addSteps(dir, [3, 4]);
  run = await w.untilStep(4);
  assert.equal(run.live, true);
  const ref4 = await oneShot("ref-4", [1, 2, 3, 4]);
  await assertSameAs(run, ref4, "after steps 3-4");
  // Epoch 1 ended with step 4's arrival: its examples are written, as a one-shot ingest writes them.
  assert.deepEqual(await examplesOf(run, 1), await examplesOf(ref4, 1));

  // Step 5 is written in two halves with a pause longer than the settle time: a settled but
  // incomplete newest file is waited for, never read half way.
  const bytes = readFileSync(stepFile(5));
  const target = path.join(dir, "step_5.json");
  writeFileSync(target, bytes.subarray(0, bytes.length >> 1));
  await sleep(TIMING.settleMs * 5);
  assert.equal((await getRun("live"))!.lastStep, 4, "a half-written step file is not read");
  assert.ok(w.messages.some((m) => m.includes("step_5.json is not complete yet")), w.messages.join("\n"));
  appendFileSync(target, bytes.subarray(bytes.length >> 1));
  run = await w.untilStep(5);
  await assertSameAs(run, await oneShot("ref-5", [1, 2, 3, 4, 5]), "after the step written in two halves");

  addSteps(dir, [6, 7, 8, 9, 10]);
  run = await w.untilStep(10);
  await assertSameAs(run, await oneShot("ref-10", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "after steps 6-10");

  // Ctrl-C: everything read so far is kept, the epoch in progress's examples included.
  w.stop();
  const final = await w.done;
  assert.equal(final.live, false);
  assert.equal((await getRun("live"))!.live, false);
  const ref = (await getRun("ref-10"))!;
  await assertSameAs(final, ref, "after the watch stopped");
  assert.deepEqual(await examplesOf(final), await examplesOf(ref));
  assert.ok(final.updatedAt.getTime() > final.createdAt.getTime(), "updatedAt moves with the appends");
});

test("late and missing steps are warnings; a settled broken file before a newer one stops the watch", { timeout: 60_000 }, async () => {
  const dir = path.join(tmp.dir, "gappy");
  addSteps(dir, [1, 2]);
  const w = startWatch({ path: dir, name: "gappy", dataset: undefined });
  await w.untilStep(2);

  addSteps(dir, [4]);
  let run = await w.untilStep(4);
  assert.deepEqual(run.warnings, ["step 3 is missing (no step_N.json between step 2 and step 4); prompts trained there count as absent"]);

  addSteps(dir, [3]); // too late: step 4 is already in
  const bytes = readFileSync(stepFile(5));
  writeFileSync(path.join(dir, "step_5.json"), bytes.subarray(0, bytes.length - 40)); // cut off, and never finished
  addSteps(dir, [6]);
  await assert.rejects(w.done, (e: Error) => {
    assert.match(e.message, /step_5\.json/);
    return true;
  });
  run = (await getRun("gappy"))!;
  assert.equal(run.lastStep, 4, "the run stays as last appended");
  assert.equal(run.live, false);
  assert.equal(run.warnings.length, 1, "the late-file warning was not committed by a later append");
  assert.ok(w.messages.some((m) => /step_3\.json: step 3 appeared after step 4 was read/.test(m)), w.messages.join("\n"));
});

test("an empty directory is watched until the trainer writes its first steps; the epoch length is inferred then", { timeout: 60_000 }, async () => {
  const dir = path.join(tmp.dir, "empty");
  mkdirSync(dir);
  const w = startWatch({ path: dir, name: "from-empty", stepsPerEpoch: undefined });
  await sleep(TIMING.settleMs * 3);
  assert.equal(await getRun("from-empty"), null, "no run before any step file");

  addSteps(path.join(dir, "train"), [1, 2, 3, 4]);
  const run = await w.untilStep(4);
  assert.equal(run.stepsPerEpoch, 3);
  assert.match(run.notes.join("\n"), /inferred 3 from the 4 step files present when watching started/);
  w.stop();
  assert.equal((await w.done).stepCount, 4);

  // Stopped before anything was complete: nothing is written, and the caller is told.
  const none = startWatch({ path: path.join(tmp.dir, "empty-too"), name: "never" });
  await assert.rejects(none.done, /no such directory to watch/);
  mkdirSync(path.join(tmp.dir, "empty-too"));
  const idle = startWatch({ path: path.join(tmp.dir, "empty-too"), name: "never" });
  idle.stop();
  await assert.rejects(idle.done, /stopped before any step file was complete; no run was written/);
  assert.equal(await getRun("never"), null);
});

test("a verl rollout dump is followed the same way, a line cut in half included", { timeout: 60_000 }, async () => {
  const staging = path.join(tmp.dir, "verl-staging");
  generateVerl({ dir: staging, prompts: 30, epochs: 3, stepsPerEpoch: 3, seed: 4 });
  const dir = path.join(tmp.dir, "verl-watched");
  const copy = (to: string, steps: number[]) => {
    mkdirSync(to, { recursive: true });
    for (const s of steps) copyFileSync(path.join(staging, `${s}.jsonl`), path.join(to, `${s}.jsonl`));
  };
  copy(dir, [1, 2, 3]);
  const w = startWatch({ path: dir, name: "verl-live", format: "verl", dataset: undefined });
  await w.untilStep(3);

  const bytes = readFileSync(path.join(staging, "4.jsonl"));
  const cut = bytes.indexOf(0x0a, bytes.length >> 1) - 10; // inside a line: the JSON object is not closed
  writeFileSync(path.join(dir, "4.jsonl"), bytes.subarray(0, cut));
  await sleep(TIMING.settleMs * 5);
  assert.equal((await getRun("verl-live"))!.lastStep, 3, "a half-written line is not read");
  appendFileSync(path.join(dir, "4.jsonl"), bytes.subarray(cut));
  copy(dir, [5, 6]);
  await w.untilStep(6);
  w.stop();
  const final = await w.done;

  const refDir = path.join(tmp.dir, "verl-ref");
  copy(refDir, [1, 2, 3, 4, 5, 6]);
  const ref = await ingestRun({ path: refDir, name: "verl-ref", format: "verl", stepsPerEpoch: SHAPE.stepsPerEpoch });
  await assertSameAs(final, ref, "verl after steps 1-6");
  assert.equal(final.successRule, "logged", "verl's acc decides success");
  assert.deepEqual(await examplesOf(final), await examplesOf(ref));
});

test("a watched verl run turns \"logged\" when acc first appears, as a one-shot ingest of the same files", { timeout: 60_000 }, async () => {
  // The same prompts and draws, with and without the acc key.
  const plain = path.join(tmp.dir, "verl-noacc-staging");
  const withAcc = path.join(tmp.dir, "verl-acc-staging");
  generateVerl({ dir: plain, prompts: 20, epochs: 2, stepsPerEpoch: 3, seed: 6, acc: false });
  generateVerl({ dir: withAcc, prompts: 20, epochs: 2, stepsPerEpoch: 3, seed: 6 });
  const copy = (to: string, from: string, steps: number[]) => {
    mkdirSync(to, { recursive: true });
    for (const s of steps) copyFileSync(path.join(from, `${s}.jsonl`), path.join(to, `${s}.jsonl`));
  };
  const dir = path.join(tmp.dir, "verl-turns-logged");
  copy(dir, plain, [1, 2, 3]);
  const w = startWatch({ path: dir, name: "verl-turns", format: "verl", dataset: undefined });
  let run = await w.untilStep(3);
  assert.equal(run.successRule, "at-least", "no acc yet: score >= the success reward");
  copy(dir, withAcc, [4, 5, 6]);
  run = await w.untilStep(6);
  assert.equal(run.successRule, "logged");
  assert.equal((await getRun("verl-turns"))!.successRule, "logged");
  w.stop();
  const final = await w.done;
  const ref = await ingestRun({ path: dir, name: "verl-turns-ref", format: "verl", stepsPerEpoch: SHAPE.stepsPerEpoch, workers: 0 });
  await assertSameAs(final, ref, "verl with acc from step 4");
  assert.deepEqual(await examplesOf(final), await examplesOf(ref));
});

test("prompts first seen in later appends are matched to the dataset questions inside their chat template", { timeout: 60_000 }, async () => {
  const staging = path.join(tmp.dir, "verl-template-staging");
  const g = generateVerl({ dir: staging, prompts: 30, epochs: 2, stepsPerEpoch: 3, seed: 8 });
  // The dataset holds the raw questions; the log holds them inside the chat template.
  const datasetFile = path.join(tmp.dir, "questions.jsonl");
  writeFileSync(datasetFile, g.questions.map((q) => JSON.stringify({ prompt: q })).join("\n") + "\n");
  const copy = (to: string, steps: number[]) => {
    mkdirSync(to, { recursive: true });
    for (const s of steps) copyFileSync(path.join(staging, `${s}.jsonl`), path.join(to, `${s}.jsonl`));
  };
  const dir = path.join(tmp.dir, "verl-template-watched");
  copy(dir, [1]); // a third of the prompts: the template is learned from these
  const w = startWatch({ path: dir, name: "verl-template-live", format: "verl", dataset: { file: datasetFile } });
  await w.untilStep(1);
  copy(dir, [2, 3, 4, 5, 6]);
  await w.untilStep(6);
  w.stop();
  const final = await w.done;

  assert.equal(final.sampleCount, 30);
  assert.equal(final.unmatchedPrompts, 0, final.notes.join("\n"));
  assert.equal(final.unseenDatasetRows, 0);
  const stored = (await loadSamples(final.id)).map((s) => s.prompt);
  assert.deepEqual([...stored].sort(), [...g.questions].sort(), "every sample is stored as its dataset question");
  assert.ok(final.notes.some((n) => /through a template learned from the log/.test(n)), final.notes.join("\n"));
});
