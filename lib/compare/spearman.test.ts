import assert from "node:assert/strict";
import { test } from "node:test";
import { flips, joinCounts, joinRuns, SELECTED_A, SELECTED_B } from "./join-runs";
import { averageRanks, spearman } from "./spearman";

const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-12;

test("average ranks give tied values the mean of the ranks they span", () => {
  assert.deepEqual([...averageRanks([5, 1, 5])], [2.5, 1, 2.5]);
  assert.deepEqual([...averageRanks([0.1, 0.1, 0.5, 0.9, 0.9])], [1.5, 1.5, 3, 4.5, 4.5]);
  assert.deepEqual([...averageRanks([])], []);
});

test("spearman with ties in one series, by hand", () => {
  /*
   * x = [1, 2, 2, 3] ranks [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks [1, 3, 2, 4]; both means 2.5.
   * dx = [-1.5, 0, 0, 1.5], dy = [-1.5, 0.5, -0.5, 1.5]
   * sxy = 2.25 + 0 + 0 + 2.25 = 4.5, sxx = 4.5, syy = 2.25 + 0.25 + 0.25 + 2.25 = 5
   * rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9)
   */
  assert.ok(close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), Math.sqrt(0.9)));
});

test("spearman with ties in both series, by hand", () => {
  /*
   * x = [0.1, 0.1, 0.5, 0.9, 0.9] ranks [1.5, 1.5, 3, 4.5, 4.5]
   * y = [0.3, 0.2, 0.2, 0.8, 0.1] ranks [4, 2.5, 2.5, 5, 1]; both means 3.
   * dx = [-1.5, -1.5, 0, 1.5, 1.5], dy = [1, -0.5, -0.5, 2, -2]
   * sxy = -1.5 + 0.75 + 0 + 3 - 3 = -0.75, sxx = 4 * 2.25 = 9, syy = 1 + 0.25 + 0.25 + 4 + 4 = 9.5
   * rho = -0.75 / sqrt(85.5) = -0.0811107...
   */
  assert.ok(close(spearman([0.1, 0.1, 0.5, 0.9, 0.9], [0.3, 0.2, 0.2, 0.8, 0.1]), -0.75 / Math.sqrt(85.5)));
});

test("spearman is +1 and -1 for monotone series, and undefined for a constant one or fewer than 2 points", () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 35, 1000]), 1);
  assert.equal(spearman(new Float64Array([1, 2, 3, 4]), new Float64Array([4, 3, 2, -7])), -1);
  assert.equal(spearman([1, 2, 3], [0.5, 0.5, 0.5]), undefined);
  assert.equal(spearman([0.5, 0.5], [1, 2]), undefined);
  assert.equal(spearman([1], [1]), undefined);
  assert.equal(spearman([], []), undefined);
});

test("a join keys prompts, keeps a key's best score, and counts flips and the unjoined", () => {
  const a = {
    keys: ["p", "q", "r", "s", "q", null],
    scores: [0.9, 0.2, 0.7, 0.5, 0.4, 0.8],
    selected: [1, 0, 1, 0, 0, 1],
  };
  const b = {
    keys: ["r", "q", "p", "t", "s"],
    scores: [0.3, 0.6, 0.8, 0.9, NaN],
    selected: [0, 1, 1, 1, 0],
  };
  const j = joinRuns(a, b);
  // p, q (A's best: ordinal 4, 0.4), r; s is unscored in B, t absent from A; the null key never joins.
  assert.equal(j.count, 3);
  assert.deepEqual([...j.ordinalsA], [0, 2, 4]);
  assert.deepEqual([...j.ordinalsB], [2, 0, 1]);
  assert.deepEqual([...j.scoresA], [0.9, 0.7, 0.4]);
  assert.deepEqual([...j.scoresB], [0.8, 0.3, 0.6]);
  assert.deepEqual([...j.selected], [SELECTED_A | SELECTED_B, SELECTED_A, SELECTED_B]);
  assert.equal(j.unjoinedA, 1); // s
  assert.equal(j.unjoinedB, 1); // t
  assert.deepEqual([...flips(j)], [1, 2]);
  // ranks A [3, 2, 1], B [3, 1, 2]: dx [1, 0, -1], dy [1, -1, 0]: sxy 1, sxx = syy = 2, rho 0.5
  assert.deepEqual(joinCounts(j), { joined: 3, spearman: 0.5, bothSelected: 1, onlyASelected: 1, onlyBSelected: 1 });
});
