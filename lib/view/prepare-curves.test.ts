import assert from "node:assert/strict";
import { test } from "node:test";
import { computeLim } from "../lim/lim-score";
import { epochBand, averageCurveRows } from "./prepare-average-curve";
import { promptCurveRows, sparklinePaths } from "./prepare-prompt-curve";
import { epochRows } from "./epoch-table";

const step = (s: number, rollouts: number, successes: number) => ({ step: s, rollouts, successes, rewardSum: successes, responseLengthSum: 100 * rollouts });

test("a missing epoch is a gap in the prompt's curve and a back-filled epoch is marked", () => {
  const rows = promptCurveRows([0.2, 0.4, 0.6], [null, 0.5, 1], [0.5, 0.5, 1], [true, false, false]);
  assert.deepEqual(rows[0], { epoch: 1, average: 0.2, prompt: null, backfilled: 0.5 });
  assert.deepEqual(rows[2], { epoch: 3, average: 0.6, prompt: 1, backfilled: null });
});

test("sparklines break at gaps", () => {
  assert.equal(sparklinePaths([0, 1, null, 0.5], 30, 10).length, 2);
  assert.deepEqual(sparklinePaths([], 30, 10), []);
});

test("the band spans the middle half of the kept prompts, around the average", () => {
  const lim = computeLim(
    [
      [step(1, 4, 0), step(2, 4, 4)],
      [step(1, 4, 2), step(2, 4, 4)],
      [step(1, 4, 4), step(2, 4, 2)],
      [step(2, 4, 4)], // misses epoch 1 entirely? no: back-filled from epoch 2
      [step(1, 4, 4)], // never seen in epoch 2: excluded, not in the band
    ],
    { stepsPerEpoch: 1, maxEpochs: null, successReward: 1 },
    2,
  );
  const band = epochBand(lim);
  // epoch 1 kept values: 0, 0.5, 1, 1 (back-filled) -> q25 0.375, q75 1
  assert.deepEqual(band.q25.map((x) => +x.toFixed(4)), [0.375, 0.875]);
  assert.deepEqual(band.q75, [1, 1]);
  const rows = averageCurveRows(lim.average, band.q25, band.q75);
  assert.equal(rows.length, 2);
  assert.ok(rows[0].band[0] <= rows[0].average && rows[0].average <= rows[0].band[1]);
});

test("the per-epoch table sums steps into epochs and flags the window", () => {
  const rows = epochRows([step(1, 8, 2), step(2, 8, 6), step(5, 8, 8)], 2, 2, 3, [false, true]);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[0].steps, [1, 2]);
  assert.equal(rows[0].rollouts, 16);
  assert.equal(rows[0].accuracy, 0.5);
  assert.equal(rows[0].meanResponseLength, 100);
  assert.equal(rows[1].accuracy, null);
  assert.equal(rows[1].backfilled, true);
  assert.equal(rows[2].outsideWindow, true);
  assert.equal(rows[2].accuracy, 1);
});
