import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { epochsOfSteps, visitRange } from "./epochs";
import { computeLim, LimParamError } from "./lim-score";
import { addReward, decodeStepCounts, encodeStepAggregates } from "./step-aggregates";
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

const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 1e-12;
const visits = { stepsPerEpoch: 2, maxEpochs: null, successReward: 1, epochMode: "visits" as const };

describe("epochs by visits: a prompt's k-th step with rollouts is its epoch k", () => {
  /*
   * 2 steps per epoch, steps 1..4. A is sampled twice in the first epoch (steps 1 and 2).
   *   A: step 1 0/2, step 2 2/2, step 4 2/2   by steps [0.5, 1]      by visits [0, 1, 1]
   *   B: step 1 0/2, step 3 1/2               by steps [0, 0.5]      by visits [0, 0.5]
   *   C: step 2 1/2, step 3 2/2               by steps [0.5, 1]      by visits [0.5, 1]
   * Visits: fewest 2 (B, C), most 3 (A); 2 reached by every prompt, so the window is 2 epochs by default.
   * avg = [1/6, 5/6]; den = 25/36 + 1/36 = 26/36
   * s_A = 1 - (1/36 + 1/36) / (26/36) = 12/13; s_B = 1 - (1/36 + 4/36) / (26/36) = 21/26; s_C = 21/26
   */
  const run = [steps([1, 2, 0], [2, 2, 2], [4, 2, 2]), steps([1, 2, 0], [3, 2, 1]), steps([2, 2, 1], [3, 2, 2])];

  it("splits a prompt visited twice in one epoch into two epochs", () => {
    const r = computeLim(run, visits, 4);
    assert.deepEqual(r.params, { stepsPerEpoch: 2, successReward: 1, maxEpochs: 2, epochMode: "visits" });
    assert.deepEqual(r.visits, { fewest: 2, usual: 2, most: 3 });
    assert.equal(r.epochsInLog, 2);
    assert.deepEqual(samplesOf(r).map((s) => s.accuracy), [[0, 1], [0, 0.5], [0.5, 1]]);
    assert.ok(close(r.average[0], 1 / 6) && close(r.average[1], 5 / 6), String(r.average));
    assert.ok(close(samplesOf(r)[0].score, 12 / 13));
    assert.ok(close(samplesOf(r)[1].score, 21 / 26));
    assert.ok(close(samplesOf(r)[2].score, 21 / 26));
    // The reference pools A's two visits of epoch 1.
    assert.deepEqual(samplesOf(computeLim(run, { ...visits, epochMode: "steps" }, 4))[0].accuracy, [0.5, 1]);
  });

  it("widens the window up to the most visited prompt, excluding prompts with fewer visits", () => {
    const r = computeLim(run, { ...visits, maxEpochs: 3 }, 4);
    assert.deepEqual(samplesOf(r)[0].accuracy, [0, 1, 1]);
    // B's third epoch is missing and, being the last, is never back-filled.
    assert.deepEqual(samplesOf(r)[1].exclusion, { kind: "missing-epochs", epochs: [3] });
    assert.deepEqual(samplesOf(r)[2].exclusion, { kind: "missing-epochs", epochs: [3] });
    assert.equal(samplesOf(r)[0].score, 1); // alone, A is the average
    assert.throws(() => computeLim(run, { ...visits, maxEpochs: 4 }, 4), (e: Error) => e instanceof LimParamError && /3 visits of the most visited prompt/.test(e.message));
  });

  /*
   * Uneven batches: 3 prompts, 2 per step, the sampler running on across epochs, so an epoch is
   * 1.5 steps and no steps-per-epoch fits. Each prompt gets 4 visits, 2 rollouts each:
   *   step 1 {P, Q}, 2 {R, P}, 3 {Q, R}, 4 {P, Q}, 5 {R, P}, 6 {Q, R}
   *   P [0, .5, .5, 1]   Q [.5, .5, .5, .5]   R [.5, 1, 1, 1]
   * avg = [1/3, 2/3, 2/3, 5/6]; den = (16 + 4 + 4 + 1) / 36 = 25/36
   * s_P = 1 - (4 + 1 + 1 + 1)/25 = 18/25; s_Q = 1 - (1 + 1 + 1 + 4)/25 = 18/25; s_R = 1 - (1 + 4 + 4 + 1)/25 = 3/5
   */
  it("follows each prompt's own visits when batches do not line up with epochs", () => {
    const P = steps([1, 2, 0], [2, 2, 1], [4, 2, 1], [5, 2, 2]);
    const Q = steps([1, 2, 1], [3, 2, 1], [4, 2, 1], [6, 2, 1]);
    const R = steps([2, 2, 1], [3, 2, 2], [5, 2, 2], [6, 2, 2]);
    const r = computeLim([P, Q, R], { ...visits, stepsPerEpoch: 1 }, 6);
    assert.equal(r.params.maxEpochs, 4);
    assert.deepEqual(r.average.map((a) => Math.round(a * 36)), [12, 24, 24, 30]);
    assert.ok(close(samplesOf(r)[0].score, 18 / 25));
    assert.ok(close(samplesOf(r)[1].score, 18 / 25));
    assert.ok(close(samplesOf(r)[2].score, 3 / 5));
    // By steps (1 per epoch) each prompt misses every third step: P, missing the last one, is excluded.
    const bySteps = computeLim([P, Q, R], { ...visits, stepsPerEpoch: 1, epochMode: "steps" }, 6);
    assert.deepEqual(samplesOf(bySteps)[0].exclusion, { kind: "missing-epochs", epochs: [6] });
  });

  it("counts any step number, and only steps with rollouts", () => {
    assert.deepEqual(epochsOfSteps(steps([0, 2, 1], [5, 0, 0], [9, 2, 2]), "visits", 4), [1, 0, 2]);
    assert.deepEqual(epochsOfSteps(steps([0, 2, 1], [5, 0, 0], [9, 2, 2]), "steps", 4), [0, 2, 3]);
    assert.deepEqual(visitRange([3, 0, 5, 2]), { fewest: 2, usual: 2, most: 5 });
    assert.deepEqual(visitRange([]), { fewest: 0, usual: 0, most: 0 });
    // One prompt visited once and one oversampled do not move the window the other 98 share.
    assert.deepEqual(visitRange([1, 20, ...Array(98).fill(12)]), { fewest: 1, usual: 12, most: 20 });
    // With 10 of 100 prompts short of 12 visits, the window is what 95% reached.
    assert.deepEqual(visitRange([...Array(10).fill(11), ...Array(90).fill(12)]), { fewest: 11, usual: 11, most: 12 });
  });

  it("gives the same result from the stored bytes", () => {
    const blobs = Array.from({ length: 30 }, (_, i) => {
      const aggs = [];
      for (let step = 0; step <= 11; step++) {
        if ((i * 5 + step * 7) % 4 === 0) continue;
        const agg = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
        for (let r = 0; r < 3; r++) addReward(agg, [1, -0.5, -1][(i + step * r) % 3], 10);
        aggs.push(agg);
      }
      return encodeStepAggregates(aggs);
    });
    for (const maxEpochs of [null, 6]) {
      const p = { ...visits, maxEpochs };
      const packed = computeFromBlobs(blobs, p, 11);
      assert.deepEqual(packed, computeLim(blobs.map((b) => decodeStepCounts(b, 1)), p, 11));
      assert.ok(samplesOf(packed).some((s) => s.score !== null));
    }
  });

  it("rejects an unknown rule", () => {
    assert.throws(() => computeLim(run, { ...visits, epochMode: "epochs" as never }, 4), /"steps" or "visits", got "epochs"/);
  });
});
