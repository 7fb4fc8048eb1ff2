import assert from "node:assert/strict";
import { test } from "node:test";
import { neighbours } from "./prompt-neighbours";
import type { TableColumns } from "./table-order";
import { DEFAULT_VIEW } from "./view-state";

const cols: TableColumns = {
  texts: ["a", "b", "c", "d"],
  scores: [0.1, 0.9, null, 0.7],
  first: new Float64Array(4),
  last: new Float64Array(4),
  rollouts: [1, 1, 1, 1],
  mean: new Float64Array(4),
};

test("prev/next follow the table's order (score, descending, by default)", () => {
  assert.deepEqual(neighbours(cols, DEFAULT_VIEW, 3), { prev: 1, next: 0, position: 2, total: 4 });
  assert.deepEqual(neighbours(cols, DEFAULT_VIEW, 1), { prev: null, next: 3, position: 1, total: 4 });
});

test("a prompt outside the filter falls back to prompt order", () => {
  assert.deepEqual(neighbours(cols, { ...DEFAULT_VIEW, filter: "selected" }, 2), { prev: 1, next: 3, position: null, total: 2 });
});
