import assert from "node:assert/strict";
import { test } from "node:test";
import { countSelected, isSelected, sortedScores } from "../lim/select";
import { binOf, histogramBars, histogramBins, thresholdFraction } from "./prepare-histogram";

const scores = [0.6, 0.59, 0.95, 1, -0.2, null, 0.61, 0.3, null, -5];
const sorted = sortedScores(scores);

test("bars count every scored prompt once, split at the threshold like the selection rule", () => {
  const bins = histogramBins(sorted);
  for (const t of [0.6, 0.605, -1, 2, 0.59, 0.3, -5, NaN]) {
    const bars = histogramBars(bins, sorted, t);
    const sel = bars.reduce((a, b) => a + b.selected, 0);
    const all = bars.reduce((a, b) => a + b.selected + b.notSelected, 0);
    assert.equal(all, 8);
    assert.equal(sel, countSelected(scores, t));
    // Bar by bar: what a pass over the scores counts.
    bars.forEach((bar, b) => {
      const inBin = scores.filter((s): s is number => s !== null && binOf(bins, s) === b);
      assert.equal(bar.selected, inBin.filter((s) => isSelected(s, t)).length);
      assert.equal(bar.notSelected, inBin.filter((s) => !isSelected(s, t)).length);
    });
  }
});

test("0.6 falls on a bin edge and far-out scores are clipped into the first bin", () => {
  const bins = histogramBins(sorted);
  const edge = (0.6 - bins.lo) / bins.width;
  assert.ok(Math.abs(edge - Math.round(edge)) < 1e-9);
  assert.equal(bins.hi, 1);
  assert.equal(binOf(bins, -5), 0);
  assert.equal(bins.starts[0], 0);
  assert.equal(bins.starts[bins.count], 8);
  assert.ok(thresholdFraction(bins, 5) === 1 && thresholdFraction(bins, -99) === 0);
});

test("random scores with ties on bin edges: bars agree with a pass over the scores", () => {
  let seed = 3;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const many = Array.from({ length: 5000 }, () => (rand() < 0.1 ? null : rand() < 0.3 ? Math.round(rand() * 20) / 20 : rand() * 1.6 - 0.6));
  const s = sortedScores(many);
  const bins = histogramBins(s);
  for (const t of [0.6, 0.55, 0.05, -0.6, 1, 0.123]) {
    const bars = histogramBars(bins, s, t);
    const selected = new Array(bins.count).fill(0);
    const other = new Array(bins.count).fill(0);
    for (const x of many) if (x !== null) (isSelected(x, t) ? selected : other)[binOf(bins, x)]++;
    assert.deepEqual(bars.map((b) => b.selected), selected);
    assert.deepEqual(bars.map((b) => b.notSelected), other);
  }
});

test("no scores at all still gives an empty, drawable histogram", () => {
  const bins = histogramBins(sortedScores([null, null]));
  assert.ok(histogramBars(bins, new Float64Array(0), 0.6).every((b) => b.selected === 0 && b.notSelected === 0));
});
