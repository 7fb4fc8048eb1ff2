import assert from "node:assert/strict";
import { test } from "node:test";
import { packAccuracies } from "./packed-array";
import { buildRunModel, promptSeries, scoreOf } from "./run-model";
import { decodeRunView, encodeRunView, type RunViewBody } from "./run-view-bytes";

function packedColumns(accuracy: Float64Array) {
  const { values, index } = packAccuracies(accuracy);
  return { accuracy: index, accuracyValues: values };
}

const body = {
  header: { epochs: 3, prompts: 2, average: [0.2, 0.5, 0.8], q25: [0, 0, 0], q75: [1, 1, 1], params: { stepsPerEpoch: 1, maxEpochs: 3, successReward: 1, epochMode: "steps", epochsInLog: 3, visits: null } },
  columns: {
    scores: Float64Array.from([0.7, NaN]),
    exclusion: Uint8Array.from([0, 1]),
    rollouts: Uint32Array.from([24, 16]),
    ...packedColumns(Float64Array.from([0.25, 0.5, 1, NaN, 0.5, NaN])),
  },
} as unknown as RunViewBody;

test("columns for the table: first and last epoch as logged, mean over logged epochs", () => {
  const m = buildRunModel(decodeRunView(encodeRunView(body)));
  assert.equal(m.n, 2);
  assert.equal(m.scored, 1);
  assert.deepEqual([...m.first], [0.25, NaN]);
  assert.deepEqual([...m.last], [1, NaN]);
  assert.ok(Math.abs(m.mean[0] - (0.25 + 0.5 + 1) / 3) < 1e-12);
  assert.equal(m.mean[1], 0.5);
  assert.deepEqual([...m.scoreKey], [0.7, NaN]);
  assert.deepEqual([...m.sorted], [0.7]);
  assert.equal(scoreOf(m, 0), 0.7);
  assert.equal(scoreOf(m, 1), null);
});

test("a prompt's series: gaps logged, back-filled by lib/lim's rule", () => {
  const m = buildRunModel(body);
  assert.deepEqual(promptSeries(m, 1), { logged: [null, 0.5, null], filled: [0.5, 0.5, null], backfilled: [true, false, false] });
});
