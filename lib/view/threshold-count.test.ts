/**
 * The run page counts a threshold's selection by binary search over the scores sorted once
 * (countSelectedSorted); it must be exactly lib/lim's countSelected, the CLI's and export's rule.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { countSelected, countSelectedSorted, sortedScores } from "../lim/select";

test("countSelectedSorted equals countSelected on random scores, ties at the threshold included", () => {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let round = 0; round < 40; round++) {
    const n = Math.floor(rand() * 400);
    // Coarse values make many ties; some exclusions as null, some as NaN (the typed column's way).
    const scores: (number | null)[] = Array.from({ length: n }, () => {
      const r = rand();
      return r < 0.08 ? null : r < 0.12 ? NaN : r < 0.6 ? Math.round(rand() * 20) / 20 - 0.2 : rand() * 3 - 2;
    });
    const sorted = sortedScores(scores);
    assert.equal(sorted.length, scores.filter((s) => s !== null && !Number.isNaN(s)).length);
    const thresholds = [...new Set([...scores.filter((s): s is number => s !== null).slice(0, 30), 0.6, 0, -0, -Infinity, Infinity, NaN, rand(), -rand()])];
    for (const t of thresholds) {
      const expected = countSelected(scores.map((s) => (s !== null && Number.isNaN(s) ? null : s)), t);
      assert.equal(countSelectedSorted(sorted, t), expected, `threshold ${t} over ${n} scores`);
    }
  }
});

test("inclusive at the threshold, as the published script", () => {
  const sorted = sortedScores([0.6, 0.6, null, 0.59, 0.7, NaN]);
  assert.equal(countSelectedSorted(sorted, 0.6), 2 + 1);
  assert.equal(countSelectedSorted(sorted, 0.6000001), 1);
  assert.equal(countSelectedSorted(sorted, -Infinity), 4);
  assert.equal(countSelectedSorted(new Float64Array(0), 0.6), 0);
});
