import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { blocksFromPrompts, columnsFromBlocks, rolloutTotals, type StepBlock } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";
import {
  deleteRun,
  getDatasetRows,
  getDatasetRowsOfPrompts,
  getExamples,
  getPrisma,
  getRun,
  getSample,
  listRuns,
  loadRunColumns,
  loadSamples,
  RunExistsError,
  streamDatasetRows,
  writeRun,
  type DatasetRowRecord,
  type ExampleRecord,
  type RunWriter,
  type SampleRecord,
} from "./index";
import { countRows, seededRandom, testRun, useTempDatabase, type TempDatabase } from "./test-db";

const rand = seededRandom(7);

function makeSamples(count: number, tag = ""): SampleRecord[] {
  return Array.from({ length: count }, (_, ordinal) => ({
    ordinal,
    prompt: `${tag}What is ${ordinal} + ${ordinal}?`,
    publishedScore: ordinal % 3 === 0 ? null : rand(),
    datasetRowIndex: ordinal % 4 === 0 ? null : ordinal,
  }));
}

/** The step blocks of `count` prompts, three steps of 8 rollouts each (prompts start at different steps). */
function makeSteps(count: number): StepBlock[] {
  const perPrompt: StepAggregate[][] = Array.from({ length: count }, (_, ordinal) =>
    Array.from({ length: 3 }, (_, k) => {
      const wins = Math.floor(rand() * 9);
      return {
        step: k * 8 + 1 + (ordinal % 8),
        rollouts: 8,
        rewardSum: wins + 0.25 * k,
        responseLengthSum: 1000 + ordinal,
        rewards: [{ reward: 0, count: 8 - wins }, { reward: 1, count: wins }],
      };
    }),
  );
  return blocksFromPrompts(perPrompt);
}

function makeDataset(prompts: string[]): DatasetRowRecord[] {
  return prompts.map((prompt, rowIndex) => ({ rowIndex, prompt, json: JSON.stringify({ prompt, answer: String(rowIndex) }) }));
}

function example(sampleOrdinal: number, step: number, success: boolean, response = `answer for ${sampleOrdinal} at ${step}`): ExampleRecord {
  return { sampleOrdinal, step, epoch: Math.ceil(step / 8), reward: success ? 1 : 0, success, responseLength: response.length, response };
}

/** Rows any table holds for a run id, straight from the database (what a user inspecting it sees). */
async function rowsOf(url: string, runId: number): Promise<Record<string, number>> {
  const count = (table: string) => countRows(url, table, runId);
  return { SampleBlock: await count("SampleBlock"), DatasetBlock: await count("DatasetBlock"), StepBlock: await count("StepBlock"), ExampleBlock: await count("ExampleBlock") };
}

async function fillWith(w: RunWriter, samples: SampleRecord[], dataset: DatasetRowRecord[], examples: ExampleRecord[], steps: StepBlock[] = makeSteps(samples.length)) {
  // Ingest writes steps and examples first (per step, per epoch), samples last; the writer must not care.
  for (let i = 0; i < steps.length; i += 5) await w.addStepBlocks(steps.slice(i, i + 5));
  await w.addExamples(examples);
  await w.addDatasetRows(dataset);
  for (let i = 0; i < samples.length; i += 700) await w.addSamples(samples.slice(i, i + 700));
}

describe("writeRun", () => {
  let tmp: TempDatabase;
  beforeEach(async () => {
    await tmp?.cleanup();
    tmp = await useTempDatabase();
  });
  after(() => tmp.cleanup());

  test("round trip: samples and step columns as written, dataset rows in order, examples by step", async () => {
    const samples = makeSamples(2500);
    const steps = makeSteps(2500);
    const dataset = makeDataset([...samples.map((s) => s.prompt), "never in the log", samples[5].prompt]);
    const examples = [example(5, 17, true), example(5, 1, false), example(5, 17, false), example(9, 2, true, "∑ unicode ✓ \u{1F600}")];
    const run = await writeRun(testRun("math8k", { warnings: ["gap between step 8 and 10"], bytesRead: 3_000_000_000 }), async (w) => {
      await fillWith(w, samples, dataset, examples, steps);
      return { sampleCount: samples.length, rolloutCount: 60_000, datasetRowCount: dataset.length, unseenDatasetRows: 1 };
    });

    assert.equal(run.name, "math8k");
    assert.equal(run.sampleCount, 2500);
    assert.equal(run.rolloutCount, 60_000);
    assert.equal(run.bytesRead, 3_000_000_000);
    assert.equal(run.datasetRowCount, 2502);
    assert.deepEqual(run.warnings, ["gap between step 8 and 10"]);
    assert.ok(run.createdAt instanceof Date && Math.abs(run.createdAt.getTime() - Date.now()) < 60_000);
    assert.deepEqual(await getRun("math8k"), run);
    // Prisma's own client reads what the bulk writer stored.
    const viaPrisma = await (await getPrisma()).run.findUniqueOrThrow({ where: { name: "math8k" }, include: { _count: { select: { sampleBlocks: true } } } });
    assert.equal(viaPrisma.createdAt.getTime(), run.createdAt.getTime());
    assert.equal(viaPrisma.bytesRead, 3_000_000_000n);
    assert.equal(viaPrisma._count.sampleBlocks, 3, "2500 prompts in blocks of 1024");

    const loaded = await loadSamples(run.id);
    assert.equal(loaded.length, samples.length);
    loaded.forEach((s, i) => {
      assert.equal(s.ordinal, i);
      assert.equal(s.prompt, samples[i].prompt);
      assert.equal(s.publishedScore, samples[i].publishedScore);
      assert.equal(s.datasetRowIndex, samples[i].datasetRowIndex);
    });
    const columns = await loadRunColumns(run.id, 2500, { withSums: true });
    assert.deepEqual(columns, columnsFromBlocks(2500, steps));
    assert.equal(columns.stepNumber.length, 24, "steps 1..24: prompts start at steps 1..8");
    assert.ok(rolloutTotals(columns).every((n) => n === 24));
    const one = await getSample(run.id, 42);
    assert.ok(one);
    assert.deepEqual(one, samples[42]);
    assert.equal(await getSample(run.id, 99_999), null);

    const streamed: DatasetRowRecord[] = [];
    for await (const row of streamDatasetRows(run.id)) streamed.push(row);
    assert.deepEqual(streamed, dataset);

    // A prompt the dataset repeats returns every row; lookups trim like ingest does.
    assert.deepEqual(await getDatasetRows(run.id, `  ${samples[5].prompt}\n`), [dataset[5], dataset[2501]]);
    assert.deepEqual(await getDatasetRows(run.id, "no such prompt"), []);
    // Several at once (a screen of reference answers), in the order asked.
    const asked = [samples[7].prompt, "no such prompt", ` ${samples[5].prompt}`, samples[7].prompt];
    assert.deepEqual(await getDatasetRowsOfPrompts(run.id, asked), [await getDatasetRows(run.id, samples[7].prompt), [], [dataset[5], dataset[2501]], await getDatasetRows(run.id, samples[7].prompt)]);

    const ex = await getExamples(run.id, 5);
    assert.deepEqual(ex.map((e) => [e.step, e.success]), [[1, false], [17, true], [17, false]]);
    assert.deepEqual(await getExamples(run.id, 9), [examples[3]]);
    assert.deepEqual(await getExamples(run.id, 1), []);
  });

  test("other queries never see a run before it commits", async () => {
    await writeRun(testRun("pending"), async (w) => {
      await w.addSamples(makeSamples(10));
      assert.equal(await getRun("pending"), null);
      assert.deepEqual(await listRuns(), []);
    });
    assert.equal((await listRuns()).length, 1);
  });

  test("a taken name throws RunExistsError and leaves the existing run untouched", async () => {
    const first = await writeRun(testRun("r"), (w) => w.addSamples(makeSamples(10)));
    let filled = false;
    await assert.rejects(
      writeRun(testRun("r"), async () => {
        filled = true;
      }),
      (e: unknown) => e instanceof RunExistsError && /"r" already exists/.test(e.message),
    );
    assert.equal(filled, false, "fill must not run when the name is taken");
    assert.deepEqual(await listRuns(), [first]);
    assert.equal((await loadSamples(first.id)).length, 10);
  });

  test("replace swaps the old run for the new one, rows and all", async () => {
    const old = await writeRun(testRun("r"), (w) => fillWith(w, makeSamples(30, "old "), makeDataset(["a", "b"]), [example(1, 1, true)]));
    const other = await writeRun(testRun("other"), (w) => w.addSamples(makeSamples(5)));
    const fresh = await writeRun(testRun("r", { format: "verl" }), (w) => w.addSamples(makeSamples(3, "new ")), { replace: true });

    assert.notEqual(fresh.id, old.id);
    assert.equal(fresh.format, "verl");
    assert.deepEqual((await loadSamples(fresh.id)).map((s) => s.prompt), ["new What is 0 + 0?", "new What is 1 + 1?", "new What is 2 + 2?"]);
    assert.deepEqual(await rowsOf(tmp.url, old.id), { SampleBlock: 0, DatasetBlock: 0, StepBlock: 0, ExampleBlock: 0 });
    assert.deepEqual((await listRuns()).map((r) => r.name).sort(), ["other", "r"]);
    assert.equal((await loadSamples(other.id)).length, 5);
  });

  test("replace of a name that does not exist simply writes the run", async () => {
    const run = await writeRun(testRun("new"), (w) => w.addSamples(makeSamples(2)), { replace: true });
    assert.equal((await getRun("new"))?.id, run.id);
  });

  test("a throwing fill rolls everything back: nothing stored, existing run untouched", async () => {
    const kept = await writeRun(testRun("kept"), (w) => fillWith(w, makeSamples(20), makeDataset(["x"]), [example(0, 1, true)]));
    const before = await loadSamples(kept.id);
    const columnsBefore = await loadRunColumns(kept.id, 20, { withSums: true });

    await assert.rejects(
      writeRun(testRun("broken"), async (w) => {
        await fillWith(w, makeSamples(500), makeDataset(["y", "z"]), [example(0, 1, false)]);
        throw new Error("step_12.json: element 40: reward is not a number");
      }),
      /step_12\.json: element 40/,
    );
    // With replace, the old run must survive the failure too.
    await assert.rejects(
      writeRun(testRun("kept"), async (w) => {
        await w.addSamples(makeSamples(3, "replacement "));
        await w.addStepBlocks(makeSteps(3));
        throw new Error("disk full");
      }, { replace: true }),
      /disk full/,
    );

    assert.deepEqual((await listRuns()).map((r) => r.name), ["kept"]);
    assert.deepEqual(await loadSamples(kept.id), before);
    assert.deepEqual(await loadRunColumns(kept.id, 20, { withSums: true }), columnsBefore);
    assert.deepEqual(await rowsOf(tmp.url, kept.id), { SampleBlock: 1, DatasetBlock: 1, StepBlock: 24, ExampleBlock: 1 });
    assert.equal(await countRows(tmp.url, "SampleBlock"), 1, "no orphan rows from the failed writes");
    assert.equal(await countRows(tmp.url, "DatasetBlock"), 1, "no orphan rows from the failed writes");
    assert.equal(await countRows(tmp.url, "StepBlock"), 24, "no orphan rows from the failed writes");
    assert.equal(await countRows(tmp.url, "ExampleBlock"), 1, "no orphan rows from the failed writes");
    // The failed name is free again.
    await writeRun(testRun("broken"), (w) => w.addSamples(makeSamples(1)));
  });

  test("a duplicate or skipped sample ordinal fails the write with a message naming the call and element", async () => {
    await assert.rejects(
      writeRun(testRun("dup"), async (w) => {
        await w.addSamples(makeSamples(3));
        await w.addSamples(makeSamples(1));
      }),
      /writing run "dup": addSamples failed at element 0 of 1: a sample's ordinal must follow the one before \(3\), got 0/,
    );
    await assert.rejects(
      writeRun(testRun("dup"), (w) => w.addSamples(makeSamples(3).slice(1))),
      /writing run "dup": addSamples failed at element 0 of 2: a sample's ordinal must follow the one before \(0\), got 1/,
    );
    await assert.rejects(
      writeRun(testRun("dup"), (w) => w.addDatasetRows([...makeDataset(["a", "b"])].reverse())),
      /writing run "dup": addDatasetRows failed at element 1 of 2: dataset rows must come in rowIndex order: 0 after 1/,
    );
    assert.equal(await getRun("dup"), null);
  });

  test("a malformed row names the call, the element and the column", async () => {
    const rows = [example(0, 1, true), { ...example(1, 1, true), response: undefined as unknown as string }];
    await assert.rejects(
      writeRun(testRun("bad-row"), (w) => w.addExamples(rows)),
      /writing run "bad-row": addExamples failed at element 1 of 2: .*response must be a string/,
    );
    assert.equal(await getRun("bad-row"), null);
  });

  test("bad run fields are refused before anything is written, naming the field", async () => {
    await assert.rejects(writeRun(testRun("bad", { stepsPerEpoch: Number.NaN }), async () => {}), /field stepsPerEpoch must be a non-negative integer/);
    await assert.rejects(
      writeRun(testRun("bad"), async () => ({ successReward: Number.POSITIVE_INFINITY })),
      /field successReward must be a finite number/,
    );
    assert.deepEqual(await listRuns(), []);
  });

  test("a writer used after fill returned is refused", async () => {
    let leaked: RunWriter | undefined;
    await writeRun(testRun("r"), async (w) => {
      leaked = w;
    });
    await assert.rejects(leaked!.addSamples(makeSamples(1)), /after run "r" was written/);
  });

  test("deleteRun cascades to samples, dataset rows, step blocks and examples, and only for that run", async () => {
    const a = await writeRun(testRun("a"), (w) => fillWith(w, makeSamples(50), makeDataset(["p", "q"]), [example(1, 1, true), example(2, 3, false)]));
    const b = await writeRun(testRun("b"), (w) => fillWith(w, makeSamples(7), makeDataset(["r"]), [example(0, 1, true)]));

    assert.equal(await deleteRun("a"), true);
    assert.equal(await deleteRun("a"), false);
    assert.deepEqual(await rowsOf(tmp.url, a.id), { SampleBlock: 0, DatasetBlock: 0, StepBlock: 0, ExampleBlock: 0 });
    assert.deepEqual(await rowsOf(tmp.url, b.id), { SampleBlock: 1, DatasetBlock: 1, StepBlock: 21, ExampleBlock: 1 });
    assert.deepEqual((await listRuns()).map((r) => r.name), ["b"]);
  });

  test("writes started together in one process run one after the other, both complete", async () => {
    const [a, b] = await Promise.all([
      writeRun(testRun("left"), (w) => w.addSamples(makeSamples(300))),
      writeRun(testRun("right"), (w) => w.addSamples(makeSamples(200))),
    ]);
    assert.equal((await loadSamples(a.id)).length, 300);
    assert.equal((await loadSamples(b.id)).length, 200);
  });

  test("listRuns is newest first", async () => {
    for (const name of ["one", "two", "three"]) await writeRun(testRun(name), async () => {});
    assert.deepEqual((await listRuns()).map((r) => r.name), ["three", "two", "one"]);
  });
});
