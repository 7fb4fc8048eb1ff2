import assert from "node:assert/strict";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { generateRun, type GeneratedRun } from "../demo/generate-run";
import { getDatasetRows, getExamples, getRun, listRuns, loadRunColumns, loadSamples, RunExistsError, streamDatasetRows } from "../db";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { computeLim } from "../lim/lim-score";
import { rolloutTotals } from "../lim/run-columns";
import { IngestError } from "./errors";
import { ingestRun, type IngestOptions } from "./ingest-run";
import { keepsExamplesIn } from "./pick-examples";
import { aggregatesByPrompt, canonical, naiveAggregates, rollout, tempDir, writeSteps, type Rollout } from "./test-helpers";

const SHAPE = { prompts: 240, epochs: 4, stepsPerEpoch: 2, promptsPerStep: 100, rolloutsPerPrompt: 6, responseBytes: 200, seed: 3 };

let db: TempDatabase;
const tmp = tempDir();
let gen: GeneratedRun;
let datasetFile: string;
let datasetRows: Record<string, unknown>[];

before(async () => {
  db = await useTempDatabase();
  gen = await generateRun({ dir: path.join(tmp.dir, "gen"), ...SHAPE });
  // The training set as a user might have it: two logged prompts missing, three never trained.
  datasetRows = (JSON.parse(readFileSync(gen.datasetFile, "utf8")) as Record<string, unknown>[]).filter((_, i) => i !== 10 && i !== 20);
  datasetRows.push({ id: "x1", prompt: "Never trained 1" }, { id: "x2", prompt: "Never trained 2" }, { id: "x3", prompt: " Never trained 1 " });
  datasetFile = path.join(tmp.dir, "dataset.json");
  writeFileSync(datasetFile, JSON.stringify(datasetRows, null, 2));
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

function ingest(o: Partial<IngestOptions> & { name: string }) {
  return ingestRun({ path: gen.dir, stepsPerEpoch: 2, ...o });
}

/** Every rollout of the generated log in log order, with its step. */
function logRollouts(dir: string, steps: number): (Rollout & { step: number })[] {
  const out: (Rollout & { step: number })[] = [];
  for (let s = 1; s <= steps; s++) {
    for (const r of JSON.parse(readFileSync(path.join(dir, `step_${s}.json`), "utf8")) as Rollout[]) out.push({ ...r, step: s });
  }
  return out;
}

describe("ingesting a generated OpenRLHF run", () => {
  test("stores per-prompt step aggregates equal to a naive JSON.parse count, in first-appearance order", async () => {
    const messages: string[] = [];
    const run = await ingest({ name: "gen", dataset: { file: datasetFile }, onMessage: (m) => messages.push(m) });
    const naive = naiveAggregates(gen.trainDir);
    const files = Array.from({ length: 8 }, (_, i) => path.join(gen.trainDir, `step_${i + 1}.json`));
    // The counts the runs list shows: the reference LIM over the naive counts, at the run's own parameters.
    const reference = computeLim(
      [...naive.values()].map((aggs) => aggs.map((a) => ({ step: a.step, rollouts: a.rollouts, successes: a.rewards.find((r) => r.reward === 1)?.count ?? 0, rewardSum: a.rewardSum, responseLengthSum: a.responseLengthSum }))),
      { stepsPerEpoch: 2, maxEpochs: null, successReward: 1 },
      8,
    );
    const scored = reference.scores.filter((x) => !Number.isNaN(x)).length;
    assert.deepEqual(
      { ...run, id: 0, createdAt: null, updatedAt: null },
      {
        id: 0,
        createdAt: null,
        updatedAt: null,
        name: "gen",
        format: "openrlhf",
        kind: "rollouts",
        source: path.resolve(gen.dir),
        stepsPerEpoch: 2,
        successReward: 1,
        promptField: "prompt",
        keepExamples: 2,
        sampleCount: SHAPE.prompts,
        rolloutCount: gen.rollouts,
        stepCount: 8,
        firstStep: 1,
        lastStep: 8,
        bytesRead: files.reduce((s, f) => s + statSync(f).size, 0),
        datasetFile: path.resolve(datasetFile),
        datasetRowCount: datasetRows.length,
        unmatchedPrompts: 2,
        unseenDatasetRows: 3,
        warnings: [],
        notes: ["matched 238 of 240 log prompts to rows of dataset.json: 238 by exact text"],
        successRule: "equals",
        epochMode: "steps",
        idField: null,
        datasetFormat: "json",
        datasetSchema: null,
        live: false,
        counts: { scored, excluded: SHAPE.prompts - scored, epochs: 4 },
      },
    );
    assert.ok(scored > 0 && scored < SHAPE.prompts, "the fixture has scored and excluded prompts");
    assert.ok(messages.some((m) => /^2 of 240 log prompts have no row in /.test(m)));
    assert.ok(messages.some((m) => /^3 of 242 rows of .* never appear in the log/.test(m)));

    const samples = await loadSamples(run.id);
    const order = [...new Set(logRollouts(gen.trainDir, 8).map((r) => r.prompt.trim()))];
    assert.deepEqual(
      samples.map((s) => s.prompt),
      order,
    );
    const stored = aggregatesByPrompt(await loadRunColumns(run.id, samples.length, { withSums: true }));
    for (const s of samples) {
      assert.deepEqual(canonical(stored[s.ordinal]), canonical(naive.get(s.prompt)!), s.prompt);
      const row = datasetRows.findIndex((r) => (r.prompt as string).trim() === s.prompt);
      assert.equal(s.datasetRowIndex, row < 0 ? null : row);
    }
  });

  test("keeps every dataset row as its original text, minified", async () => {
    const run = (await getRun("gen"))!;
    const rows = [];
    for await (const r of streamDatasetRows(run.id)) rows.push(r);
    assert.equal(rows.length, datasetRows.length);
    assert.deepEqual(
      rows.map((r) => JSON.parse(r.json)),
      datasetRows,
    );
    assert.equal(rows[0].json, JSON.stringify(datasetRows[0]));
    assert.equal((await getDatasetRows(run.id, "Never trained 1")).length, 2);
  });

  test("keeps a success and a failure per prompt and epoch where both exist, else the first two", async () => {
    const run = (await getRun("gen"))!;
    const byKey = new Map<string, (Rollout & { step: number })[]>();
    for (const r of logRollouts(gen.trainDir, 8)) {
      const k = `${r.prompt.trim()}\u0000${Math.ceil(r.step / 2)}`;
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
    const samples = await loadSamples(run.id);
    let total = 0;
    for (const s of samples) {
      const got = await getExamples(run.id, s.ordinal);
      total += got.length;
      for (let epoch = 1; epoch <= 4; epoch++) {
        const rollouts = byKey.get(`${s.prompt}\u0000${epoch}`) ?? [];
        const win = rollouts.find((r) => r.reward === 1);
        const loss = rollouts.find((r) => r.reward !== 1);
        const picked = win && loss ? rollouts.filter((r) => r === win || r === loss) : rollouts.slice(0, 2);
        // Examples are kept in epochs 1, 2, 4, 8, 16 and 32 only (keepsExamplesIn): none in epoch 3.
        const expected = keepsExamplesIn(epoch) ? picked : [];
        assert.deepEqual(
          got.filter((e) => e.epoch === epoch).map((e) => [e.step, e.reward, e.success, e.responseLength, e.response]),
          expected.map((r) => [r.step, r.reward, r.reward === 1, r.response_length, r.response]),
        );
      }
    }
    assert.ok(total > 0);
    assert.deepEqual([1, 2, 3, 4].map(keepsExamplesIn), [true, true, false, true]);
  });

  test("--keep-examples 0, or scanning on one thread, stores the same samples", async () => {
    const gen0 = (await getRun("gen"))!;
    const base = await loadSamples(gen0.id);
    const baseColumns = await loadRunColumns(gen0.id, base.length, { withSums: true });
    for (const [name, o] of [
      ["gen-k0", { keepExamples: 0 }],
      ["gen-w0", { workers: 0 }],
    ] as const) {
      const run = await ingest({ name, dataset: { file: datasetFile }, ...o });
      assert.deepEqual(await loadSamples(run.id), base);
      assert.deepEqual(await loadRunColumns(run.id, base.length, { withSums: true }), baseColumns, name);
      assert.equal((await getExamples(run.id, 0)).length, name === "gen-k0" ? 0 : (await getExamples((await getRun("gen"))!.id, 0)).length);
    }
  });

  test("infers steps per epoch when not given, and says so", async () => {
    const messages: string[] = [];
    const run = await ingestRun({ path: gen.trainDir, name: "gen-infer", onMessage: (m) => messages.push(m) });
    assert.equal(run.stepsPerEpoch, 2);
    assert.ok(messages.some((m) => m.includes("inferred 2 (240 distinct prompts / median 100 prompts per step)")));
    assert.deepEqual(run.notes, [messages.find((m) => m.includes("inferred 2"))], "the inferred epoch length is kept with the run, once");
    assert.ok((await getExamples(run.id, 0)).every((e) => e.epoch === Math.ceil(e.step / 2)));
  });

  test("reports progress: files, bytes and rollouts up to the totals", async () => {
    const events: { phase: string; filesDone: number; rollouts: number }[] = [];
    await ingest({ name: "gen-progress", keepExamples: 0, onProgress: (p) => events.push(p) });
    const reads = events.filter((e) => e.phase === "read");
    assert.deepEqual(reads.at(-1), { ...reads.at(-1), filesDone: 8, rollouts: gen.rollouts });
    assert.equal(events.at(-1)!.phase, "write");
  });
});

describe("bad input leaves no run and the database intact", () => {
  const ok = [rollout("p", 1), rollout("q", -0.5)];
  let n = 0;
  const dirWith = (steps: Record<number, Rollout[] | string>) => writeSteps(path.join(tmp.dir, `bad${n++}`), steps);

  async function fails(o: Partial<IngestOptions>, message: RegExp): Promise<void> {
    const before = (await listRuns()).map((r) => r.name);
    await assert.rejects(ingestRun({ name: "bad", stepsPerEpoch: 1, path: dirWith({ 1: ok }), ...o }), (e: Error) => {
      assert.ok(e instanceof IngestError, `${e}`);
      assert.match(e.message, message);
      return true;
    });
    assert.deepEqual(
      (await listRuns()).map((r) => r.name),
      before,
    );
  }

  test("malformed JSON in a later step names the file, element and byte", async () => {
    const dir = dirWith({ 1: ok, 2: ok, 3: `[{"prompt": "p", "response": "r", "reward": 1, "response_length": 2} {"prompt": "q"}]` });
    await fails({ path: dir }, /step_3\.json: element 0, line 1, column 70 \(byte 69\): malformed JSON: expected ',' or '\]'/);
  });
  test("a missing field", async () => {
    await fails({ path: dirWith({ 1: `[{"prompt": "p", "response": "r", "response_length": 2}]` }) }, /step_1\.json: element 0, .*field "reward": missing field/);
  });
  test("an ill-typed field", async () => {
    await fails({ path: dirWith({ 1: `[{"prompt": "p", "response": 5, "reward": 1, "response_length": 2}]` }) }, /field "response": expected a string, found a number/);
  });
  test("a non-finite reward", async () => {
    await fails({ path: dirWith({ 1: ok, 2: `[{"prompt": "p", "response": "r", "reward": 1e999, "response_length": 2}]` }) }, /step_2\.json: .*field "reward": 1e999 is not a finite number/);
    await fails({ path: dirWith({ 1: `[{"prompt": "p", "response": "r", "reward": NaN, "response_length": 2}]` }) }, /field "reward": expected a JSON number, found "NaN"/);
  });
  test("an empty directory, or one without step files", async () => {
    const empty = path.join(tmp.dir, "empty");
    mkdirSync(path.join(empty, "train"), { recursive: true });
    writeFileSync(path.join(empty, "notes.txt"), "hi");
    await fails({ path: empty, format: "openrlhf" }, /empty: no step_N\.json files found \(looked in .*empty, .*empty\/train\)/);
    await fails({ path: path.join(tmp.dir, "nowhere") }, /nowhere: no such file or directory/);
  });
  test("a dataset row without the prompt field", async () => {
    const f = path.join(tmp.dir, "bad-dataset.jsonl");
    writeFileSync(f, '{"prompt": "p"}\n{"question": "q"}\n');
    await fails({ dataset: { file: f } }, /bad-dataset\.jsonl: row 1 \(line 2, byte 16\): missing field "prompt"/);
  });
  test("a failed --replace keeps the old run exactly as it was", async () => {
    const first = await ingestRun({ name: "keep-me", stepsPerEpoch: 1, path: dirWith({ 1: ok }) });
    await fails({ name: "keep-me", replace: true, path: dirWith({ 1: ok, 2: "[" }) }, /step_2\.json: .*malformed JSON/);
    assert.deepEqual(await getRun("keep-me"), first);
  });
  test("an existing name is refused without --replace", async () => {
    await assert.rejects(ingestRun({ name: "keep-me", stepsPerEpoch: 1, path: dirWith({ 1: ok }) }), RunExistsError);
  });
});

describe("steps and keys", () => {
  test("gaps in step numbers are a warning, stored with the run; the parent of train/ works", async () => {
    const dir = path.join(tmp.dir, "gappy");
    writeSteps(path.join(dir, "train"), { 1: [rollout("p", 1)], 2: [rollout("p", 0)], 5: [rollout("p", 1)] });
    const messages: string[] = [];
    const run = await ingestRun({ path: dir, name: "gappy", format: "openrlhf", stepsPerEpoch: 1, onMessage: (m) => messages.push(m) });
    assert.deepEqual(run.warnings, ["steps 3-4 are missing (no step_N.json between step 2 and step 5); prompts trained there count as absent"]);
    assert.deepEqual(messages, [`warning: ${run.warnings[0]}`]);
    assert.deepEqual([run.stepCount, run.firstStep, run.lastStep], [3, 1, 5]);
  });
  test("prompts differing only in surrounding white space are one sample", async () => {
    const dir = writeSteps(path.join(tmp.dir, "ws"), { 1: [rollout(" p", 1), rollout("p\n", 0), rollout("\tp ", 1)] });
    const run = await ingestRun({ path: dir, name: "ws", stepsPerEpoch: 1 });
    const [s] = await loadSamples(run.id);
    assert.equal(run.sampleCount, 1);
    assert.equal(s.prompt, "p");
    assert.deepEqual(Array.from(rolloutTotals(await loadRunColumns(run.id, 1))), [3]);
  });
});
