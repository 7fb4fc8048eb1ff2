import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MethodScores } from "./method-scores";
import { methodScores } from "./method-scores";
import { overlap } from "./overlap";
import { checkRule, defaultRule, describeRule, limBudget, selectedOrdinals, selectPrompts, type Rule } from "./select";
import { limOf } from "./test-helpers";

const scores = (values: number[], method: MethodScores["method"] = "variance"): MethodScores => ({ method, score: Float64Array.from(values) });
const picked = (s: MethodScores, rule: Rule) => Array.from(selectedOrdinals(selectPrompts(s, rule)));

describe("the one selection function", () => {
  const s = scores([0.5, 0.9, 0.5, 0.5, NaN, 0.9, 0.25]);

  it("top N keeps the highest, ties at the boundary to the prompt seen first in the log", () => {
    assert.deepEqual(picked(s, { kind: "top", n: 3 }), [0, 1, 5]);
    assert.deepEqual(picked(s, { kind: "top", n: 4 }), [0, 1, 2, 5]);
    assert.deepEqual(picked(s, { kind: "top", n: 2 }), [1, 5]);
    assert.deepEqual(picked(s, { kind: "top", n: 100 }), [0, 1, 2, 3, 5, 6]); // never an unscored prompt
    assert.deepEqual(picked(s, { kind: "top", n: 0 }), []);
    assert.equal(selectPrompts(s, { kind: "top", n: 100 }).count, 6);
  });

  it("a threshold is inclusive, as isSelected; between is open at both ends", () => {
    assert.deepEqual(picked(s, { kind: "threshold", threshold: 0.5 }), [0, 1, 2, 3, 5]);
    assert.deepEqual(picked(scores([0, 1, 0.5, NaN, 0.999], "pass-rate"), { kind: "between", low: 0, high: 1 }), [2, 4]);
  });

  it("refuses rules a method cannot take", () => {
    assert.throws(() => checkRule("lim", { kind: "region", region: "ambiguous" }), /cartography only/);
    assert.throws(() => checkRule("cartography", { kind: "top", n: 3 }), /by region/);
    assert.throws(() => checkRule("rand", { kind: "top", n: 1.5 }), /whole number/);
  });

  it("defaults: LIM at its threshold, ranked methods at LIM's count, linear >= 0.7, pass-rate 0 < s < 1, cartography ambiguous", () => {
    // avg = [5/12, 5/6], denominator 53/144; LIM: A 1 - 29/53 = 0.453, B 1 - 2/53 = 0.962, C 1 - 17/53 = 0.679
    const lim = limOf([[0, 1], [0.5, 0.75], [0.75, 0.75]]);
    assert.equal(limBudget(lim), 2);
    assert.deepEqual(defaultRule("lim", lim, 0.9), { kind: "threshold", threshold: 0.9 });
    assert.deepEqual(defaultRule("variance", lim), { kind: "top", n: 2 });
    assert.deepEqual(defaultRule("rand", lim, 0.9), { kind: "top", n: 1 });
    assert.deepEqual(defaultRule("linear", lim), { kind: "threshold", threshold: 0.7 });
    assert.equal(describeRule(defaultRule("pass-rate", lim)), "0 < score < 1");
    assert.equal(describeRule(defaultRule("cartography", lim)), "region ambiguous");
    assert.deepEqual(picked(methodScores(lim, "lim"), defaultRule("lim", lim)), [1, 2]);
    assert.deepEqual(picked(methodScores(lim, "variance"), defaultRule("variance", lim)), [0, 1]); // std 0.5, 0.125, 0
  });
});

describe("RAND", () => {
  const lim = limOf(Array.from({ length: 10 }, (_, i) => (i === 4 ? [0.5, null] : [0.5, 0.5])));
  const top = (seed: number, n: number) => picked(methodScores(lim, "rand", { seed }), { kind: "top", n });

  it("is pinned: the same prompts for a seed on every run and platform", () => {
    // The prompts by draw, largest first: seed 0: 6, 8, 7, 3, 9, 2, (4), 0, 5, 1; seed 1: 2, 0, 3, 1, 8, 5, (4), 9, 7, 6
    assert.deepEqual(top(0, 3), [6, 7, 8]);
    assert.deepEqual(top(0, 6), [2, 3, 6, 7, 8, 9]);
    assert.deepEqual(top(1, 3), [0, 2, 3]);
    assert.deepEqual(top(1, 9), [0, 1, 2, 3, 5, 6, 7, 8, 9]); // prompt 4 is excluded
    assert.equal(methodScores(lim, "rand").seed, 0);
  });

  it("nests: a larger N keeps every prompt a smaller one kept", () => {
    for (let n = 1; n < 9; n++) assert.ok(top(3, n).every((p) => top(3, n + 1).includes(p)), String(n));
  });
});

describe("overlap", () => {
  it("counts both, and Jaccard over the union (0 when both are empty)", () => {
    const a = selectPrompts(scores([1, 1, 1, 0, 0]), { kind: "threshold", threshold: 1 });
    const b = selectPrompts(scores([0, 1, 1, 1, 0]), { kind: "threshold", threshold: 1 });
    assert.deepEqual(overlap(a, b), { a: 3, b: 3, both: 2, jaccard: 0.5 });
    const none = selectPrompts(scores([0, 0, 0, 0, 0]), { kind: "threshold", threshold: 1 });
    assert.deepEqual(overlap(none, none), { a: 0, b: 0, both: 0, jaccard: 0 });
    assert.deepEqual(overlap(a, none), { a: 3, b: 0, both: 0, jaccard: 0 });
  });
});
