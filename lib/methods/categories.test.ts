import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATEGORIES, categorize, categoryCounts, type Category } from "./categories";
import { limOf } from "./test-helpers";

const names = (codes: Uint8Array): Category[] => Array.from(codes, (c) => CATEGORIES[c]);

describe("trajectory categories, first rule that matches", () => {
  it("K = 6 (t = 2): every category, boundaries at exactly 0.25", () => {
    const lim = limOf([
      [0, 0, 0, 0, 0, 0], // never-solved
      [1, 1, 1, 1, 1, 1], // always-solved
      [0.25, 0.25, 0.5, 0.5, 0.5, 0.5], // last - first = 0.25 exactly: learned
      [0.75, 0.75, 0.5, 0.5, 0.5, 0.5], // first - last = 0.25: forgotten
      [0, 0.5, 0, 0.5, 0, 0.5], // no change, std = 0.25 exactly: unstable
      [0.5, 0.75, 0.5, 0.5, 0.75, 0.5], // std 0.118: steady
      [0, 1, 1, 1, 1, 0], // no change, std 0.471: unstable
      [0, 0, 0, 0, 0, null], // the last epoch is never back-filled: excluded
      [0, 1, 0, 1, 1, 1], // learned wins over unstable (first rule that matches)
    ]);
    assert.deepEqual(names(categorize(lim)), ["never-solved", "always-solved", "learned", "forgotten", "unstable", "steady", "unstable", "excluded", "learned"]);
  });

  it("counts a change that is 0.25 in exact arithmetic, whatever the doubles' rounding", () => {
    // 0.7 - 0.45 is 0.24999999999999994 in doubles.
    assert.ok(0.7 - 0.45 < 0.25);
    const lim = limOf([[0.45, 0.45, 0.6, 0.6, 0.7, 0.7], [0.7, 0.7, 0.6, 0.6, 0.45, 0.45], [0.45, 0.45, 0.6, 0.6, 0.65, 0.65]], 20);
    assert.deepEqual(names(categorize(lim)), ["learned", "forgotten", "steady"]);
  });

  it("K = 1 and K = 2: t = 1, a change is the last epoch minus the first", () => {
    assert.deepEqual(names(categorize(limOf([[0], [1], [0.5]]))), ["never-solved", "always-solved", "steady"]);
    assert.deepEqual(names(categorize(limOf([[0.5, 0.75], [0.5, 0.25], [0.5, 0.625], [0, 1]], 8))), ["learned", "forgotten", "steady", "learned"]);
  });

  it("K = 4 (t = 2) and an all-ones run: LIM's undefined-score prompts are always-solved, not excluded", () => {
    assert.deepEqual(names(categorize(limOf([[0, 0.5, 0.5, 0.5], [0.25, 0.5, 0.5, 0.5]]))), ["learned", "steady"]); // first 0.25 or 0.375, last 0.5
    const ones = limOf([[1, 1], [1, 1], [1, null]]);
    assert.deepEqual(categoryCounts(categorize(ones)), { "never-solved": 0, "always-solved": 2, learned: 0, forgotten: 0, unstable: 0, steady: 0, excluded: 1 });
  });
});
