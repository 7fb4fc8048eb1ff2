import assert from "node:assert/strict";
import { test } from "node:test";
import { filterRows, matchQuery, sortRows, type TableColumns } from "./table-order";

const cols: TableColumns = {
  texts: ["Beta problem", "alpha problem", "Gamma", "delta"],
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
  assert.deepEqual([...sortRows(cols, "trajectory", true)], [0, 3, 2, 1]);
  assert.deepEqual([...sortRows(cols, "ordinal", true)], [3, 2, 1, 0]);
});

test("filters split prompts into selected, not selected and excluded, inclusive at the threshold", () => {
  const order = sortRows(cols, "ordinal", false);
  assert.deepEqual([...filterRows(order, cols.scores, "selected", 0.6, null)], [0, 2]);
  assert.deepEqual([...filterRows(order, cols.scores, "not-selected", 0.6, null)], [3]);
  assert.deepEqual([...filterRows(order, cols.scores, "excluded", 0.6, null)], [1]);
  assert.equal(filterRows(order, cols.scores, "all", 0.6, null).length, 4);
});

test("search needs every word, any case", () => {
  const m = matchQuery(cols.texts, "PROBLEM bet");
  assert.deepEqual([...filterRows(sortRows(cols, "ordinal", false), cols.scores, "all", 0.6, m)], [0]);
  assert.equal(matchQuery(cols.texts, "  "), null);
});
