import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExampleRecord } from "../db/types";
import type { StepCounts } from "../lim/types";
import { epochRuleLabel, paramsSummary } from "./epoch-rule";
import { epochRows } from "./epoch-table";
import { examplesByEpoch } from "./prompt-page";

const steps = (...rows: [number, number, number][]): StepCounts[] =>
  rows.map(([step, rollouts, successes]) => ({ step, rollouts, successes, rewardSum: successes, responseLengthSum: 10 * rollouts }));

test("the prompt page's epochs follow the rule: by visits each step with rollouts is the next epoch", () => {
  const s = steps([1, 4, 1], [2, 4, 3], [7, 4, 4]);
  const bySteps = epochRows(s, 4, 1, 1, []);
  assert.deepEqual(bySteps.map((r) => [r.epoch, r.steps, r.accuracy]), [[1, [1, 2], 0.5], [2, [7], 1]]);
  const byVisits = epochRows(s, 4, 2, 2, [], "visits");
  assert.deepEqual(byVisits.map((r) => [r.epoch, r.steps, r.accuracy, r.outsideWindow]), [
    [1, [1], 0.25, false],
    [2, [2], 0.75, false],
    [3, [7], 1, true],
  ]);
});

test("kept examples are grouped by the visit their step was", () => {
  const ex = (step: number) => ({ step }) as ExampleRecord;
  const groups = examplesByEpoch([ex(7), ex(1), ex(2)], 4, "visits", [1, 2, 7]);
  assert.deepEqual(groups.map((g) => [g.epoch, g.examples.map((e) => e.step)]), [[1, [1]], [2, [2]], [3, [7]]]);
});

test("the Parameters line names the rules and, by visits, the visit counts", () => {
  const base = { stepsPerEpoch: 8, maxEpochs: 7, successReward: 1, epochsInLog: 7, successRule: "equals" as const, successField: null };
  assert.equal(paramsSummary({ ...base, epochMode: "steps", maxEpochs: 12, epochsInLog: 12, visits: null }), "8 steps/epoch · 12 of 12 epochs · success: reward = 1");
  assert.equal(
    paramsSummary({ ...base, epochMode: "visits", maxEpochs: 10, visits: { fewest: 7, usual: 10, most: 12 } }),
    "by visits · 10 epochs (10 visits reached by 95% of prompts; fewest 7, most 12) · success: reward = 1",
  );
  const steps = { ...base, epochMode: "steps" as const, visits: null, successReward: 0.5 };
  assert.equal(paramsSummary({ ...steps, successRule: "at-least" }), "8 steps/epoch · 7 of 7 epochs · success: reward >= 0.5");
  assert.equal(paramsSummary({ ...steps, successRule: "logged", successField: "acc" }), "8 steps/epoch · 7 of 7 epochs · success: as logged (acc)");
  assert.equal(epochRuleLabel({ epochMode: "steps", stepsPerEpoch: 8 }), "epochs by steps (8 per epoch)");
});
