import assert from "node:assert/strict";
import { test } from "node:test";
import { packAccuracies } from "./packed-array";
import { buildRunModel, promptSeries } from "./run-model";
import type { RunViewData } from "./run-view-data";

const data = {
  epochs: 3,
  texts: ["a", "b"],
  scores: [0.7, null],
  excl: [0, 1],
  rollouts: [24, 16],
  average: [0.2, 0.5, 0.8],
  q25: [0, 0, 0],
  q75: [1, 1, 1],
  acc: packAccuracies(Float64Array.from([0.25, 0.5, 1, NaN, 0.5, NaN])),
} as unknown as RunViewData;

test("columns for the table: first and last epoch as logged, mean over logged epochs", () => {
  const m = buildRunModel(data);
  assert.equal(m.n, 2);
  assert.equal(m.scored, 1);
  assert.deepEqual([...m.first], [0.25, NaN]);
  assert.deepEqual([...m.last], [1, NaN]);
  assert.ok(Math.abs(m.mean[0] - (0.25 + 0.5 + 1) / 3) < 1e-12);
  assert.equal(m.mean[1], 0.5);
  assert.deepEqual([...(m.scoreKey as Float64Array)], [0.7, NaN]);
});

test("a prompt's series: gaps logged, back-filled by lib/lim's rule", () => {
  const m = buildRunModel(data);
  assert.deepEqual(promptSeries(m, 1), { logged: [null, 0.5, null], filled: [0.5, 0.5, null], backfilled: [true, false, false] });
});
