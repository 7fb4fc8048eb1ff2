import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeStepAggregates, encodeStepAggregates } from "../lim/step-aggregates";
import { deleteRun, getSample, loadSamples, writeRun, type SampleRecord } from "./index";
import { seededRandom, testRun, useTempDatabase, type TempDatabase } from "./test-db";

const rand = seededRandom(11);

function scoredSample(ordinal: number): SampleRecord {
  const steps = Array.from({ length: 21 }, (_, e) => {
    const wins = Math.floor(rand() * 9);
    return { step: e * 8 + 1, rollouts: 8, rewardSum: wins, responseLengthSum: 3200 + e, rewards: [{ reward: 0, count: 8 - wins }, { reward: 1, count: wins }] };
  });
  return { ordinal, prompt: `Problem ${ordinal}: ∫ x² dx`, steps: encodeStepAggregates(steps), rolloutCount: 168, publishedScore: null, datasetRowIndex: ordinal % 5 ? ordinal : null };
}

describe("loadSamples / getSample (the scoring read)", () => {
  let tmp: TempDatabase;
  before(async () => {
    tmp = await useTempDatabase();
  });
  after(() => tmp.cleanup());

  test("returns what was written, by ordinal, with steps as plain Uint8Array bytes", async () => {
    const written = Array.from({ length: 2000 }, (_, i) => scoredSample(i));
    // Written out of order and in pieces, as ingest may.
    const run = await writeRun(testRun("limr"), async (w) => {
      await w.addSamples(written.slice(1000));
      await w.addSamples(written.slice(0, 1000));
    });
    const loaded = await loadSamples(run.id);
    assert.deepEqual(loaded, written);
    assert.equal(Object.getPrototypeOf(loaded[7].steps), Uint8Array.prototype);
    assert.deepEqual(decodeStepAggregates(loaded[7].steps), decodeStepAggregates(written[7].steps));
    assert.deepEqual(await getSample(run.id, 1999), written[1999]);
  });

  test("an imported-scores run: empty steps, published scores kept, nulls kept", async () => {
    const samples: SampleRecord[] = [
      { ordinal: 0, prompt: "a", steps: new Uint8Array(0), rolloutCount: 0, publishedScore: 0.75, datasetRowIndex: 3 },
      { ordinal: 1, prompt: "b", steps: new Uint8Array(0), rolloutCount: 0, publishedScore: null, datasetRowIndex: null },
    ];
    const run = await writeRun(testRun("scores", { kind: "scores", format: "scores" }), (w) => w.addSamples(samples));
    assert.deepEqual(await loadSamples(run.id), samples);
  });

  test("sees runs written and deleted after its connection was opened", async () => {
    const first = await writeRun(testRun("first"), (w) => w.addSamples([scoredSample(0)]));
    assert.equal((await loadSamples(first.id)).length, 1);
    const second = await writeRun(testRun("second"), (w) => w.addSamples([scoredSample(0), scoredSample(1)]));
    assert.equal((await loadSamples(second.id)).length, 2);
    assert.equal(await deleteRun("second"), true);
    assert.deepEqual(await loadSamples(second.id), []);
    assert.equal(await getSample(second.id, 0), null);
  });

  test("a replaced run's new samples are read, not a cached copy", async () => {
    await writeRun(testRun("again"), (w) => w.addSamples([scoredSample(0)]));
    const replaced = await writeRun(testRun("again"), (w) => w.addSamples([{ ...scoredSample(0), prompt: "new text" }]), { replace: true });
    assert.deepEqual((await loadSamples(replaced.id)).map((s) => s.prompt), ["new text"]);
  });
});
