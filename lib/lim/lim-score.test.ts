import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backfill, computeLim, epochAccuracy, LimParamError, limScore, MAX_EPOCHS, resolveParams } from "./lim-score";
import type { StepCounts } from "./types";
import type { LimParams, LimResult } from "./types";
import { decodeStepAggregates } from "./step-aggregates";
import { computeLimColumns, sampleScore } from "./lim-score";
import { blocksFromPrompts, columnsFromBlocks } from "./run-columns";

/** Every prompt's part of a result, as objects. */
const samplesOf = (r: LimResult) => Array.from({ length: r.prompts }, (_, i) => sampleScore(r, i));
/** computeLimColumns over per-prompt packed aggregates, stored as step blocks. */
const computeFromBlobs = (blobs: readonly Uint8Array[], p: LimParams, lastStep: number) =>
  computeLimColumns(columnsFromBlocks(blobs.length, blocksFromPrompts(blobs.map(decodeStepAggregates))), p, lastStep);

/** Steps for a prompt from [step, rollouts, successes] triples. */
function steps(...rows: [number, number, number][]): StepCounts[] {
  return rows.map(([step, rollouts, successes]) => ({ step, rollouts, successes, rewardSum: 0, responseLengthSum: 0 }));
}

const params = { stepsPerEpoch: 2, maxEpochs: null, successReward: 1 };

describe("epochAccuracy", () => {
  it("pools the steps of an epoch and leaves epochs without rollouts undefined", () => {
    // steps 1,2 -> epoch 1; 3,4 -> epoch 2; 5,6 -> epoch 3
    const acc = epochAccuracy(steps([1, 4, 1], [2, 4, 3], [5, 8, 2]), 2, 3);
    assert.deepEqual(acc, [0.5, null, 0.25]);
  });
  it("ignores steps past the epoch window and step 0", () => {
    assert.deepEqual(epochAccuracy(steps([0, 8, 8], [3, 8, 8], [7, 8, 0]), 2, 2), [null, 1]);
  });
});

describe("backfill (one left-to-right pass, as the reference)", () => {
  it("fills a single gap from the next epoch", () => {
    assert.deepEqual(backfill([null, 0.5, 1]).filled, [0.5, 0.5, 1]);
    assert.deepEqual(backfill([0.2, null, 1]).backfilled, [false, true, false]);
  });
  it("leaves all but the last of a run of gaps undefined", () => {
    assert.deepEqual(backfill([null, null, 0.5]).filled, [null, 0.5, 0.5]);
    assert.deepEqual(backfill([0.1, null, null, null, 0.9]).filled, [0.1, null, null, 0.9, 0.9]);
  });
  it("never fills the last epoch", () => {
    assert.deepEqual(backfill([0.5, null]).filled, [0.5, null]);
  });
});

describe("limScore", () => {
  it("is 1 on the average and 1 - num/den elsewhere", () => {
    const avg = [0.25, 0.5];
    const den = 0.75 ** 2 + 0.5 ** 2; // 0.8125
    assert.equal(limScore([0.25, 0.5], avg, den), 1);
    assert.equal(limScore([0, 0], avg, den), 1 - (0.0625 + 0.25) / 0.8125);
  });
  it("is undefined, not NaN, when the denominator is zero", () => {
    assert.equal(limScore([1, 1], [1, 1], 0), null);
  });
});

describe("computeLim", () => {
  it("scores a hand-computed run", () => {
    // 3 prompts, 2 epochs of 2 steps. A: 0 then 1; B: 0.5 then 0.5; C: missing epoch 2 -> excluded.
    const result = computeLim(
      [steps([1, 4, 0], [3, 4, 4]), steps([2, 2, 1], [4, 2, 1]), steps([1, 8, 8])],
      params,
      4,
    );
    assert.equal(result.params.maxEpochs, 2);
    assert.deepEqual(result.average, [0.25, 0.75]);
    // den = 0.75^2 + 0.25^2 = 0.625; A num = 0.0625 + 0.0625 = 0.125 -> 0.8; B same -> 0.8
    assert.ok(Math.abs((samplesOf(result)[0].score as number) - 0.8) < 1e-15);
    assert.ok(Math.abs((samplesOf(result)[1].score as number) - 0.8) < 1e-15);
    assert.equal(samplesOf(result)[2].score, null);
    assert.deepEqual(samplesOf(result)[2].exclusion, { kind: "missing-epochs", epochs: [2] });
  });

  it("keeps a back-filled prompt and uses the filled value in the average", () => {
    const result = computeLim([steps([3, 4, 2]), steps([1, 4, 0], [3, 4, 4])], params, 4);
    assert.deepEqual(samplesOf(result)[0].filled, [0.5, 0.5]);
    assert.deepEqual(samplesOf(result)[0].backfilled, [true, false]);
    assert.deepEqual(result.average, [0.25, 0.75]);
  });

  it("counts only complete epochs by default and honours maxEpochs", () => {
    const run = [steps([1, 1, 0], [3, 1, 1], [5, 1, 1])];
    assert.equal(computeLim(run, params, 5).params.maxEpochs, 2);
    assert.equal(computeLim(run, { ...params, maxEpochs: 1 }, 5).average.length, 1);
    assert.throws(() => computeLim(run, { ...params, maxEpochs: 3 }, 5), LimParamError);
    assert.throws(() => computeLim(run, { ...params, stepsPerEpoch: 0 }, 5), LimParamError);
  });

  it("marks every prompt undefined when the average is 1 in every epoch", () => {
    const result = computeLim([steps([1, 2, 2], [3, 2, 2]), steps([2, 4, 4], [4, 4, 4])], params, 4);
    assert.equal(result.denominator, 0);
    assert.deepEqual(samplesOf(result).map((s) => s.score), [null, null]);
    assert.deepEqual(samplesOf(result)[0].exclusion, { kind: "undefined-score" });
  });

  it("leaves the average empty when no prompt is complete", () => {
    const result = computeLim([steps([1, 2, 1])], params, 4);
    assert.deepEqual(result.average, []);
    assert.equal(samplesOf(result)[0].score, null);
  });
});

describe("computeLimPacked", () => {
  it("gives exactly computeLim's result from the stored bytes", async () => {
    const { addReward, decodeStepCounts, encodeStepAggregates } = await import("./step-aggregates");
    // A deterministic spread of prompts, steps and rewards, including step 0 and a partial epoch.
    const blobs = Array.from({ length: 40 }, (_, i) => {
      const aggs = [];
      for (let step = 0; step <= 9; step++) {
        if ((i * 7 + step * 3) % 5 === 0) continue;
        const agg = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
        for (let r = 0; r < 4; r++) addReward(agg, [1, -0.5, -1][(i + step + r) % 3], 10);
        aggs.push(agg);
      }
      return encodeStepAggregates(aggs);
    });
    for (const successReward of [1, -0.5]) {
      const p = { stepsPerEpoch: 3, maxEpochs: null, successReward };
      const packed = computeFromBlobs(blobs, p, 9);
      const plain = computeLim(blobs.map((b) => decodeStepCounts(b, successReward)), p, 9);
      assert.deepEqual(packed, plain);
      assert.ok(samplesOf(packed).some((s) => s.score !== null));
    }
  });
});

it("a log whose last step would make more than MAX_EPOCHS epochs is refused in words, and --max-epochs still scores it", () => {
  assert.throws(() => resolveParams({ stepsPerEpoch: 2, maxEpochs: null, successReward: 1 }, 1_000_000_000), (e: unknown) => e instanceof LimParamError && /last step is 1,000,000,000, which makes 500,000,000 epochs/.test(e.message));
  assert.equal(resolveParams({ stepsPerEpoch: 2, maxEpochs: 2, successReward: 1 }, 1_000_000_000).maxEpochs, 2);
  assert.equal(resolveParams({ stepsPerEpoch: 1, maxEpochs: null, successReward: 1 }, MAX_EPOCHS).maxEpochs, MAX_EPOCHS);
  assert.throws(() => resolveParams({ stepsPerEpoch: 1, maxEpochs: MAX_EPOCHS + 1, successReward: 1 }, 10 * MAX_EPOCHS), LimParamError);
});
