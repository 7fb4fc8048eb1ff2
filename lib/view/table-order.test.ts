import assert from "node:assert/strict";
import { test } from "node:test";
import { matchQuery, sortByComparator, sortRows, textRank, type TableColumns } from "./table-order";

const texts = ["Beta problem", "alpha problem", "Gamma", "delta"];
const cols: TableColumns = {
  textRank: textRank(texts),
  scores: [0.7, null, 0.6, -0.1],
  first: Float64Array.from([0.1, NaN, 0, 0.5]),
  last: Float64Array.from([0.9, 0.2, 0.8, 0.5]),
  rollouts: [16, 8, 16, 24],
  mean: Float64Array.from([0.5, 0.2, 0.4, 0.5]),
};

test("scores sort with excluded prompts last in both directions", () => {
  assert.deepEqual([...sortRows(cols, "score", true)], [0, 2, 3, 1]);
  assert.deepEqual([...sortRows(cols, "score", false)], [3, 2, 0, 1]);
  assert.deepEqual([...sortRows(cols, "first", false)], [2, 0, 3, 1]);
});

test("text sorts ignore case; ties keep prompt order", () => {
  assert.deepEqual([...sortRows(cols, "prompt", false)], [1, 0, 3, 2]);
  assert.deepEqual([...sortRows(cols, "prompt", true)], [2, 3, 0, 1]);
  assert.deepEqual([...sortRows(cols, "trajectory", true)], [0, 3, 2, 1]);
  assert.deepEqual([...sortRows(cols, "ordinal", true)], [3, 2, 1, 0]);
});

test("search needs every word, any case", () => {
  assert.deepEqual([...matchQuery(texts, "PROBLEM bet")!], [1, 0, 0, 0]);
  assert.equal(matchQuery(texts, "  "), null);
});

test("the text order is a rank per prompt: equal texts (any case) share one and keep prompt order", () => {
  const same = ["b", "A", "a", "B", "c", "a"];
  assert.deepEqual([...textRank(same)], [1, 0, 0, 1, 2, 0]);
  const c: TableColumns = { ...cols, scores: [1, 1, 1, 1, 1, 1], textRank: textRank(same), first: new Float64Array(6), last: new Float64Array(6), mean: new Float64Array(6), rollouts: [1, 1, 1, 1, 1, 1] };
  assert.deepEqual([...sortRows(c, "prompt", false)], [1, 2, 5, 0, 3, 4]);
  assert.deepEqual([...sortRows(c, "prompt", true)], [4, 0, 3, 1, 2, 5]);
  // Before the text order arrives the prompt column keeps prompt order.
  assert.deepEqual([...sortRows({ ...c, textRank: null }, "prompt", true)], [0, 1, 2, 3, 4, 5]);
});

test("typed scores (NaN for excluded) sort as the nulls do", () => {
  const typed = Float64Array.from([0.7, NaN, 0.6, -0.1]);
  assert.deepEqual([...sortRows({ ...cols, scores: typed }, "score", true)], [...sortRows(cols, "score", true)]);
});

test("the other methods' columns sort by their keys; selected by its own key when given", () => {
  const variance = Float64Array.from([0.1, NaN, 0.3, 0.2]);
  assert.deepEqual([...sortRows({ ...cols, methodKeys: { variance } }, "variance", true)], [2, 3, 0, 1]);
  assert.deepEqual([...sortRows(cols, "variance", true)], [0, 1, 2, 3]); // no column yet: prompt order
  assert.deepEqual([...sortRows({ ...cols, methodKeys: { selected: Float64Array.from([0, NaN, 1, 1]) } }, "selected", true)], [2, 3, 0, 1]);
});

test("the radix sort gives the comparator's order: NaN last both ways, -0 equal to 0, ties by index", () => {
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const special = [NaN, -0, 0, Infinity, -Infinity, 1e-300, -1e-300, 5e-324, -5e-324, 2 ** 53, -(2 ** 53), 0.6, -0.6];
  for (let round = 0; round < 30; round++) {
    const n = Math.floor(rand() * 3000);
    const kind = round % 3;
    const v = Float64Array.from({ length: n }, () => {
      const r = rand();
      if (r < 0.1) return special[Math.floor(rand() * special.length)];
      if (kind === 0) return Math.floor(rand() * 7); // many ties (rollouts)
      if (kind === 1) return Math.round(rand() * 10000) / 10000; // accuracies
      return (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 6);
    });
    for (const desc of [false, true]) {
      const c: TableColumns = { scores: v, first: v, last: v, mean: v, rollouts: v };
      assert.deepEqual([...sortRows(c, "first", desc)], [...sortByComparator(v, desc)], `round ${round} desc ${desc}`);
    }
  }
  assert.deepEqual([...sortRows({ ...cols, scores: [] }, "score", true)], []);
});

