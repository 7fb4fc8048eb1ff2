import assert from "node:assert/strict";
import { test } from "node:test";
import { computeLim } from "../lim/lim-score";
import { countSelected } from "../lim/select";
import type { StepCounts } from "../lim/types";
import { methodColumns, methodSortKeys } from "./method-columns";
import { equalBudgetSelections, focusMask, pageSelection, selectedKey } from "./page-selection";
import { neighbours, viewNeedsMethods } from "./prompt-neighbours";
import { buildSearchIndex, searchMask } from "./prompt-search";
import { FILTERS, SORT_KEYS, sortRows, textRank, type TableColumns } from "./table-order";
import { tableRows } from "./table-rows";
import { DEFAULT_VIEW, type ViewState } from "./view-state";

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
  const match = await searchMask(await buildSearchIndex([texts]), view.q);
  // apple prompts in text order: 3 ("a apple"), 1 ("c apple"), 0 ("d apple")
  assert.deepEqual(neighbours(cols, view, 1, match), { prev: 3, next: 0, position: 2, total: 3 });
});

// The prompt page finds its neighbours by one pass; the run page's table sorts. Both must give
// the same rows: a generated run with ties, -0, missing values, every sort, filter and method.
test("prev/next by one pass are the neighbours in the run page's sorted, filtered rows, for every sort, filter and method", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const P = 300;
  const K = 4;
  const counts = Array.from({ length: P }, (_, p) =>
    Array.from({ length: K }, (_, k) => ({ step: k + 1, rollouts: 4, successes: Math.floor(rand() * 5), rewardSum: 0, responseLengthSum: 0 }) as StepCounts).filter(() => p % 17 !== 3 || rand() < 0.5),
  );
  const lim = computeLim(counts, { stepsPerEpoch: 1, maxEpochs: null, successReward: 1 }, K);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const mean = Float64Array.from({ length: P }, (_, p) => (p % 11 === 0 ? NaN : pick([0, -0, 0.25, 0.5, 1])));
  const base: TableColumns = {
    scores: Array.from(lim.scores, (s) => (Number.isNaN(s) ? null : s)),
    first: Float64Array.from({ length: P }, () => pick([0, 0.5, 1, NaN])),
    last: Float64Array.from({ length: P }, () => pick([0, 0.25, 1])),
    rollouts: Array.from({ length: P }, () => pick([4, 8, 12])),
    mean,
    textRank: Array.from({ length: P }, () => Math.floor(rand() * 40)),
  };
  const match = Uint8Array.from({ length: P }, () => (rand() < 0.7 ? 1 : 0));
  const mc = methodColumns(lim, lim.scores);
  const views: ViewState[] = [];
  for (const sort of SORT_KEYS)
    for (const desc of [false, true])
      for (const filter of FILTERS) views.push({ ...DEFAULT_VIEW, sort, desc, filter, threshold: 0.4, method: pick(["lim", "variance", "learnability", "pass-rate"] as const) });
  views.push({ ...DEFAULT_VIEW, method: "variance", top: 50, sort: "selected" }, { ...DEFAULT_VIEW, category: "learned", sort: "score" }, { ...DEFAULT_VIEW, kept: ["lim", "variance"], sort: "variance" });
  for (const v of views) {
    for (const useMatch of [null, match]) {
      const methods = viewNeedsMethods(v) ? mc : null;
      const m = methods ?? methodColumns(null, Float64Array.from(base.scores, (s) => (s === null ? NaN : s)));
      const selection = pageSelection(m, v, v.threshold);
      const selected = v.sort === "selected" ? selectedKey(selection) : undefined;
      const equal = v.kept && m.lim ? equalBudgetSelections(m, countSelected(lim.scores, v.threshold)) : null;
      const rows = tableRows(sortRows({ ...base, methodKeys: { ...methodSortKeys(m), ...(selected ? { selected } : {}) } }, v.sort, v.desc), selection.groups, v.filter, useMatch, focusMask(m, v, equal));
      for (const ordinal of [0, 3, 20, 101, 299, Math.floor(rand() * P)]) {
        const at = rows.indexOf(ordinal);
        const expected =
          at < 0
            ? { prev: ordinal > 0 ? ordinal - 1 : null, next: ordinal + 1 < P ? ordinal + 1 : null, position: null, total: rows.length }
            : { prev: at > 0 ? rows[at - 1] : null, next: at + 1 < rows.length ? rows[at + 1] : null, position: at + 1, total: rows.length };
        assert.deepEqual(neighbours(base, v, ordinal, useMatch, methods), expected, `${JSON.stringify({ sort: v.sort, desc: v.desc, filter: v.filter, method: v.method, search: !!useMatch, ordinal })}`);
      }
    }
  }
});
