import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeLim, LimParamError } from "./lim-score";
import { addReward, decodeStepCounts, encodeStepAggregates } from "./step-aggregates";
import { countsAsSuccess, loggedSuccessField, loggedSuccessNote, successRuleText } from "./success-rule";
import type { LimParams, StepAggregate, SuccessRule } from "./types";
import type { LimResult } from "./types";
import { decodeStepAggregates } from "./step-aggregates";
import { computeLimColumns, sampleScore } from "./lim-score";
import { blocksFromPrompts, columnsFromBlocks } from "./run-columns";

/** Every prompt's part of a result, as objects. */
const samplesOf = (r: LimResult) => Array.from({ length: r.prompts }, (_, i) => sampleScore(r, i));
/** computeLimColumns over per-prompt packed aggregates, stored as step blocks. */
const computeFromBlobs = (blobs: readonly Uint8Array[], p: LimParams, lastStep: number) =>
  computeLimColumns(columnsFromBlocks(blobs.length, blocksFromPrompts(blobs.map(decodeStepAggregates))), p, lastStep);

/** One prompt's blob from [step, rewards...] rows. */
function blob(...rows: [number, ...number[]][]): Uint8Array {
  return encodeStepAggregates(
    rows.map(([step, ...rewards]) => {
      const agg: StepAggregate = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
      for (const r of rewards) addReward(agg, r, 10);
      return agg;
    }),
  );
}

describe("success rules", () => {
  it("count equality, at-least, and logged (filed at or below the success reward) from the same histogram", () => {
    const b = blob([1, 0, 0.5, 1, 1], [2, 0.5, 0.75, 2]);
    const successes = (r: number, rule: SuccessRule) => decodeStepCounts(b, r, rule).map((s) => s.successes);
    assert.deepEqual(successes(1, "equals"), [2, 0]);
    assert.deepEqual(successes(1, "at-least"), [2, 1]);
    assert.deepEqual(successes(0.5, "equals"), [1, 1]);
    assert.deepEqual(successes(0.5, "at-least"), [3, 3]);
    assert.deepEqual(successes(1, "logged"), [2, 1]);
    assert.deepEqual(decodeStepCounts(b, 1), decodeStepCounts(b, 1, "equals"), "the default is the reference's equality");
    assert.equal(countsAsSuccess(1 - Number.EPSILON, 1, "at-least"), false);
    assert.equal(countsAsSuccess(1, 1, "equals"), true);
  });

  it("the packed scoring path equals the per-step path under every rule, by steps and by visits", () => {
    const blobs = [blob([1, 0, 0.5], [2, 1, 0.5], [3, 1, 1], [4, 0.5, 0]), blob([1, 0, 0], [2, 0.5, 0.5], [3, 1, 0], [4, 1, 1]), blob([2, 1], [4, 0.5, 1])];
    for (const successRule of ["equals", "at-least", "logged"] as const) {
      for (const successReward of [1, 0.5]) {
        for (const epochMode of ["steps", "visits"] as const) {
          const p: LimParams = { stepsPerEpoch: 2, maxEpochs: null, successReward, epochMode, successRule };
          const packed = computeFromBlobs(blobs, p, 4);
          assert.deepEqual(packed, computeLim(blobs.map((x) => decodeStepCounts(x, successReward, successRule)), p, 4), `${successRule} ${successReward} ${epochMode}`);
        }
      }
    }
    const at = (successRule: SuccessRule, successReward: number) => samplesOf(computeFromBlobs(blobs, { stepsPerEpoch: 2, maxEpochs: null, successReward, successRule }, 4))[0].accuracy;
    assert.deepEqual(at("equals", 0.5), [0.5, 0.25]);
    assert.deepEqual(at("at-least", 0.5), [0.75, 0.75]);
  });

  it("a logged run refuses any success reward but the one it was read with", () => {
    const p: LimParams = { stepsPerEpoch: 2, maxEpochs: null, successReward: 1, successRule: "logged", ingestSuccessReward: 1 };
    const blobs = [blob([1, 1, 0], [2, 1])];
    assert.equal(samplesOf(computeFromBlobs(blobs, p, 2))[0].accuracy[0], 2 / 3);
    assert.throws(
      () => computeFromBlobs(blobs, { ...p, successReward: 0.5 }, 2),
      (e: Error) => e instanceof LimParamError && e.message === "success reward 0.5: success is logged per rollout (verl's acc / --success-field); the success reward does not apply (this run was read with success reward 1)",
    );
    // Other rules re-count for any success reward.
    assert.doesNotThrow(() => computeFromBlobs(blobs, { ...p, successRule: "at-least", successReward: 0.5 }, 2));
    assert.throws(() => computeFromBlobs(blobs, { ...p, successRule: "most" as never }, 2), /"equals", "at-least" or "logged", got "most"/);
  });

  it("names the rule in words and finds a logged field again", () => {
    assert.equal(successRuleText("equals", 1), "success: reward = 1");
    assert.equal(successRuleText("at-least", 0.5), "success: reward >= 0.5");
    assert.equal(successRuleText("logged", 1, "acc"), "success: as logged (acc)");
    assert.equal(loggedSuccessField({ format: "verl", notes: [] }), "acc");
    assert.equal(loggedSuccessField({ format: "jsonl", notes: ["other", loggedSuccessNote('is "ok"', 1)] }), 'is "ok"');
    assert.equal(loggedSuccessField({ format: "verl", notes: [loggedSuccessNote("correct", 1)] }), "correct");
    assert.equal(loggedSuccessField({ format: "csv", notes: [] }), null);
  });
});
