import assert from "node:assert/strict";
import { test } from "node:test";
import { neighbours } from "./prompt-neighbours";
import { buildSearchIndex, searchMask } from "./prompt-search";
import { textRank, type TableColumns } from "./table-order";
import { DEFAULT_VIEW } from "./view-state";

const texts = ["d apple", "c apple", "b", "a apple"];
const cols: TableColumns = {
  textRank: textRank(texts),
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

test("sorted by prompt and searched as the run page does: the text order, the server's search", async () => {
  const view = { ...DEFAULT_VIEW, sort: "prompt" as const, desc: false, q: "APPLE" };
  const match = searchMask(await buildSearchIndex(texts), view.q);
  // apple prompts in text order: 3 ("a apple"), 1 ("c apple"), 0 ("d apple")
  assert.deepEqual(neighbours(cols, view, 1, match), { prev: 3, next: 0, position: 2, total: 3 });
});
