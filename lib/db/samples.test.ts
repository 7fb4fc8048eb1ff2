import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { blocksFromPrompts, columnsFromBlocks, promptStepCounts, rolloutTotals } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";
import { deleteRun, getPrompts, getSample, loadRunColumns, loadSamples, streamSampleBlocks, writeRun, type SampleRecord } from "./index";
import { seededRandom, testRun, useTempDatabase, type TempDatabase } from "./test-db";

const rand = seededRandom(11);

function scoredSample(ordinal: number): SampleRecord {
  return { ordinal, prompt: `Problem ${ordinal}: ∫ x² dx`, publishedScore: null, datasetRowIndex: ordinal % 5 ? ordinal : null };
}

/** A prompt's 21 epochs of 8 rollouts, one step per epoch. */
function stepsOf(): StepAggregate[] {
  return Array.from({ length: 21 }, (_, e) => {
    const wins = Math.floor(rand() * 9);
    return { step: e * 8 + 1, rollouts: 8, rewardSum: wins, responseLengthSum: 3200 + e, rewards: [{ reward: 0, count: 8 - wins }, { reward: 1, count: wins }] };
  });
}

describe("loadSamples / getSample (the scoring read)", () => {
  let tmp: TempDatabase;
  before(async () => {
    tmp = await useTempDatabase();
  });
  after(() => tmp.cleanup());

  test("returns what was written, by ordinal; the run's steps as plain typed arrays", async () => {
    const written = Array.from({ length: 2000 }, (_, i) => scoredSample(i));
    const steps = written.map(() => stepsOf());
    const blocks = blocksFromPrompts(steps);
    // Written in pieces, step blocks between them, as ingest may.
    const run = await writeRun(testRun("limr"), async (w) => {
      await w.addSamples(written.slice(0, 700));
      await w.addStepBlocks(blocks.slice(0, 10));
      await w.addSamples(written.slice(700));
      await w.addStepBlocks(blocks.slice(10));
    });
    const loaded = await loadSamples(run.id);
    assert.deepEqual(loaded, written);
    assert.deepEqual(await getSample(run.id, 1999), written[1999]);
    // A block at a time (the server's search, text order and export), and some ordinals in any order.
    const streamed: SampleRecord[] = [];
    for await (const b of streamSampleBlocks(run.id)) b.prompts.forEach((prompt, j) => streamed.push({ ordinal: b.firstOrdinal + j, prompt, publishedScore: null, datasetRowIndex: b.datasetRowIndexes[j] }));
    assert.deepEqual(streamed, written);
    const asked = [1999, 0, 1024, 1023, 5, 1024, 700];
    assert.deepEqual(await getPrompts(run.id, asked), asked.map((o) => written[o].prompt));
    await assert.rejects(getPrompts(run.id, [2000]), /no stored prompt 2000/);

    const columns = await loadRunColumns(run.id, 2000, { withSums: true });
    assert.deepEqual(columns, columnsFromBlocks(2000, blocks));
    assert.equal(Object.getPrototypeOf(columns.ordinal), Uint32Array.prototype);
    assert.equal(Object.getPrototypeOf(columns.rewardValue), Float64Array.prototype);
    assert.deepEqual(
      promptStepCounts(columns, 7, 1, "equals"),
      steps[7].map((a) => ({ step: a.step, rollouts: 8, successes: a.rewards[1].count, rewardSum: a.rewardSum, responseLengthSum: a.responseLengthSum })),
    );
    assert.ok(rolloutTotals(columns).every((n) => n === 168));
    // Loaded for scoring only: the counts without the sums.
    const counts = await loadRunColumns(run.id, 2000);
    assert.equal(counts.rewardSum, null);
    assert.deepEqual(counts.rollouts, columns.rollouts);
    assert.deepEqual(promptStepCounts(counts, 7, 1, "equals").map((s) => s.successes), steps[7].map((a) => a.rewards[1].count));
  });

  test("an imported-scores run: no steps, published scores kept, nulls kept", async () => {
    const samples: SampleRecord[] = [
      { ordinal: 0, prompt: "a", publishedScore: 0.75, datasetRowIndex: 3 },
      { ordinal: 1, prompt: "b", publishedScore: null, datasetRowIndex: null },
    ];
    const run = await writeRun(testRun("scores", { kind: "scores", format: "scores" }), (w) => w.addSamples(samples));
    assert.deepEqual(await loadSamples(run.id), samples);
    const columns = await loadRunColumns(run.id, 2);
    assert.deepEqual([columns.stepNumber.length, columns.ordinal.length], [0, 0]);
    assert.deepEqual(Array.from(rolloutTotals(columns)), [0, 0]);
  });

  test("sees runs written and deleted after its connection was opened", async () => {
    const first = await writeRun(testRun("first"), (w) => w.addSamples([scoredSample(0)]));
    assert.equal((await loadSamples(first.id)).length, 1);
    const second = await writeRun(testRun("second"), async (w) => {
      await w.addSamples([scoredSample(0), scoredSample(1)]);
      await w.addStepBlocks(blocksFromPrompts([stepsOf(), stepsOf()]));
    });
    assert.equal((await loadSamples(second.id)).length, 2);
    assert.equal((await loadRunColumns(second.id, 2)).stepNumber.length, 21);
    assert.equal(await deleteRun("second"), true);
    assert.deepEqual(await loadSamples(second.id), []);
    assert.equal(await getSample(second.id, 0), null);
    assert.equal((await loadRunColumns(second.id, 2)).stepNumber.length, 0);
  });

  test("a replaced run's new samples are read, not a cached copy", async () => {
    await writeRun(testRun("again"), (w) => w.addSamples([scoredSample(0)]));
    const replaced = await writeRun(testRun("again"), (w) => w.addSamples([{ ...scoredSample(0), prompt: "new text" }]), { replace: true });
    assert.deepEqual((await loadSamples(replaced.id)).map((s) => s.prompt), ["new text"]);
  });
});
