import assert from "node:assert/strict";
import { it } from "node:test";
import { addReward, decodeStepAggregates, decodeStepCounts, encodeStepAggregates, mergeStepAggregate } from "./step-aggregates";
import type { StepAggregate } from "./types";

const empty = (step: number): StepAggregate => ({ step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] });

it("round-trips aggregates and recounts successes for any success reward", () => {
  const a = empty(7);
  for (const r of [1, -0.5, 1, -1, 0.25]) addReward(a, r, 100);
  const b = empty(2);
  addReward(b, 1, 10);
  const bytes = encodeStepAggregates([a, b]);
  const back = decodeStepAggregates(bytes);
  assert.deepEqual(back.map((s) => s.step), [2, 7]);
  assert.deepEqual(back[1], a);
  assert.deepEqual(decodeStepCounts(bytes, 1).map((s) => s.successes), [1, 2]);
  assert.deepEqual(decodeStepCounts(bytes, 0.25).map((s) => s.successes), [0, 1]);
  assert.equal(decodeStepCounts(bytes, 1)[1].responseLengthSum, 500);
});

it("merges two partial aggregates of the same step", () => {
  const a = empty(1);
  addReward(a, 1, 5);
  const b = empty(1);
  addReward(b, 1, 5);
  addReward(b, -1, 7);
  mergeStepAggregate(a, b);
  assert.equal(a.rollouts, 3);
  assert.deepEqual(a.rewards, [{ reward: 1, count: 2 }, { reward: -1, count: 1 }]);
});
