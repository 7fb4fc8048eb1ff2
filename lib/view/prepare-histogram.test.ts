import assert from "node:assert/strict";
import { test } from "node:test";
import { countSelected } from "../lim/select";
import { histogramBars, histogramBins, thresholdFraction } from "./prepare-histogram";

const scores = [0.6, 0.59, 0.95, 1, -0.2, null, 0.61, 0.3, null, -5];

test("bars count every scored prompt once, split at the threshold like the selection rule", () => {
  const bins = histogramBins(scores);
  for (const t of [0.6, 0.605, -1, 2, 0.59]) {
    const bars = histogramBars(bins, scores, t);
    const sel = bars.reduce((a, b) => a + b.selected, 0);
    const all = bars.reduce((a, b) => a + b.selected + b.notSelected, 0);
    assert.equal(all, 8);
    assert.equal(sel, countSelected(scores, t));
  }
});

test("0.6 falls on a bin edge and far-out scores are clipped into the first bin", () => {
  const bins = histogramBins(scores);
  const edge = (0.6 - bins.lo) / bins.width;
  assert.ok(Math.abs(edge - Math.round(edge)) < 1e-9);
  assert.equal(bins.hi, 1);
  assert.ok(bins.binOf[9] === 0);
  assert.equal(bins.binOf[5], -1);
  assert.ok(thresholdFraction(bins, 5) === 1 && thresholdFraction(bins, -99) === 0);
});

test("no scores at all still gives an empty, drawable histogram", () => {
  const bins = histogramBins([null, null]);
  assert.ok(histogramBars(bins, [null, null], 0.6).every((b) => b.selected === 0 && b.notSelected === 0));
});
