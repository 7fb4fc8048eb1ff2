import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { methodScores, scoreColumns, scoredCount } from "./method-scores";
import { limOf, near } from "./test-helpers";

const same = (got: Float64Array, want: number[]) =>
  assert.ok(want.every((w, i) => (Number.isNaN(w) ? Number.isNaN(got[i]) : near(got[i], w))), `${Array.from(got)} != ${want}`);

describe("method scores, computed by hand", () => {
  // K = 3. E misses epochs 2 and 3 (the last is never back-filled): excluded from every method.
  // G's epoch 1 is back-filled from epoch 2: [0.5, 0.5, 1].
  const rows = [
    [0, 0.5, 1], // A: a line up
    [1, 0.5, 0], // B: a line down
    [0.5, 0.5, 0.5], // C: constant
    [1, 1, 1], // D: always solved
    [0, null, null], // E: excluded
    [0, 0.25, 0.25], // F
    [null, 0.5, 1], // G
  ];
  const lim = limOf(rows);

  it("variance is the population standard deviation, exactly 0 when constant", () => {
    const s = methodScores(lim, "variance").score;
    same(s, [Math.sqrt(1 / 6), Math.sqrt(1 / 6), 0, 0, NaN, Math.sqrt(1 / 72), Math.sqrt(1 / 18)]);
    assert.equal(s[2], 0);
  });

  it("learnability is the mean of r(1 - r), 0.25 at most", () => {
    same(methodScores(lim, "learnability").score, [1 / 12, 1 / 12, 0.25, 0, NaN, 0.125, 1 / 6]);
  });

  it("linear is R^2 when the slope is positive, else 0", () => {
    // F: sxy = 0.25, sxx = 2, syy = 1/24 -> R^2 = 0.0625 / (1/12) = 0.75. G: sxy = 0.5, syy = 1/6 -> 0.75.
    same(methodScores(lim, "linear").score, [1, 0, 0, 0, NaN, 0.75, 0.75]);
  });

  it("pass-rate is the mean accuracy", () => {
    same(methodScores(lim, "pass-rate").score, [0.5, 0.5, 0.5, 1, NaN, 1 / 6, 2 / 3]);
  });

  it("lim is LIM's own column, and every method leaves the excluded prompt unscored", () => {
    assert.equal(methodScores(lim, "lim").score, lim.scores);
    for (const m of ["lim", "variance", "learnability", "linear", "pass-rate", "rand", "cartography"] as const) {
      assert.equal(scoredCount(methodScores(lim, m)), 6, m);
    }
  });

  it("names export columns <method>_score, with - written _", () => {
    assert.deepEqual(scoreColumns(methodScores(lim, "pass-rate")).map((c) => c.name), ["pass_rate_score"]);
    assert.deepEqual(scoreColumns(methodScores(lim, "cartography")).map((c) => c.name), ["cartography_confidence", "cartography_variability"]);
  });
});

describe("short and degenerate runs", () => {
  it("K = 1: variance 0, linear undefined, pass-rate the one accuracy", () => {
    const lim = limOf([[0.25], [1], [0]]);
    same(methodScores(lim, "variance").score, [0, 0, 0]);
    same(methodScores(lim, "linear").score, [NaN, NaN, NaN]);
    same(methodScores(lim, "pass-rate").score, [0.25, 1, 0]);
    same(methodScores(lim, "learnability").score, [0.1875, 0, 0]);
  });

  it("K = 2: linear is still undefined (two points always lie on a line)", () => {
    const lim = limOf([[0, 1], [1, 0]]);
    same(methodScores(lim, "linear").score, [NaN, NaN]);
    same(methodScores(lim, "variance").score, [0.5, 0.5]);
  });

  it("an all-ones run: LIM undefined, the other methods score the flat trajectories", () => {
    const lim = limOf([[1, 1, 1], [1, 1, 1]]);
    assert.equal(lim.denominator, 0);
    same(methodScores(lim, "lim").score, [NaN, NaN]);
    same(methodScores(lim, "variance").score, [0, 0]);
    same(methodScores(lim, "pass-rate").score, [1, 1]);
    same(methodScores(lim, "linear").score, [0, 0]);
  });
});
