import assert from "node:assert/strict";
import { test } from "node:test";
import { computeLim } from "../lim/lim-score";
import { countSelected } from "../lim/select";
import type { StepCounts } from "../lim/types";
import { CATEGORY_CODES } from "../methods/categories";
import { selectPrompts } from "../methods/select";
import { availableMethods, methodColumns, methodSortKeys } from "./method-columns";
import { ruleMarker, scoreBins, selectionBars } from "./method-histogram";
import { DEFAULT_METHOD_VIEW } from "./method-state";
import { equalBudgetSelections, focusMask, GROUPS, pageSelection, selectedKey } from "./page-selection";
import { tableRows } from "./table-rows";

/** Eight prompts, 3 epochs of one step each, successes out of 4; prompt 7 misses epoch 3 (excluded). */
const ROWS = [
  [0, 0, 0],
  [4, 4, 4],
  [0, 2, 4],
  [4, 2, 0],
  [1, 3, 1],
  [2, 2, 3],
  [1, 2, 3],
  [1, 2, null],
];
const lim = computeLim(
  ROWS.map((r) => r.flatMap((s, k) => (s === null ? [] : [{ step: k + 1, rollouts: 4, successes: s, rewardSum: s, responseLengthSum: 0 } as StepCounts]))),
  { stepsPerEpoch: 1, maxEpochs: null, successReward: 1 },
  3,
);
const mc = methodColumns(lim, lim.scores);
const view = (patch = {}) => ({ ...DEFAULT_METHOD_VIEW, ...patch });

test("LIM at the page's threshold: groups selected, not selected, excluded, as isSelected", () => {
  const sel = pageSelection(mc, view(), 0.6);
  assert.deepEqual(sel.rule, { kind: "threshold", threshold: 0.6 });
  assert.equal(sel.selection.count, countSelected(lim.scores, 0.6));
  assert.equal(sel.groups[7], GROUPS.excluded);
  assert.equal(sel.scored, 7);
  for (let p = 0; p < 7; p++) assert.equal(sel.groups[p], lim.scores[p] >= 0.6 ? GROUPS.selected : GROUPS.notSelected);
  assert.equal(selectedKey(sel), undefined, "LIM's threshold sorts selected by score");
});

test("a ranked method defaults to top N at LIM's count for the page's threshold; an explicit rule wins", () => {
  const budget = countSelected(lim.scores, 0.3);
  const sel = pageSelection(mc, view({ method: "variance" }), 0.3);
  assert.deepEqual(sel.rule, { kind: "top", n: budget });
  assert.deepEqual(sel.selection.mask, selectPrompts(mc.scores.variance!, { kind: "top", n: budget }).mask);
  assert.deepEqual(pageSelection(mc, view({ method: "variance", top: 2 }), 0.3).rule, { kind: "top", n: 2 });
  assert.deepEqual(pageSelection(mc, view({ method: "linear", min: 0.5 }), 0.3).rule, { kind: "threshold", threshold: 0.5 });
  assert.deepEqual(pageSelection(mc, view({ method: "pass-rate" }), 0.3).rule, { kind: "between", low: 0, high: 1 });
  assert.deepEqual(pageSelection(mc, view({ method: "cartography", region: "hard-to-learn" }), 0.3).rule, { kind: "region", region: "hard-to-learn" });
  // Pass-rate keeps the sometimes-solved prompts: not 0 (never), not 1 (always).
  const pr = pageSelection(mc, view({ method: "pass-rate" }), 0.3);
  assert.deepEqual([...pr.groups], [0, 0, 1, 1, 1, 1, 1, 2]);
  assert.deepEqual([...selectedKey(pr)!], [0, 0, 1, 1, 1, 1, 1, NaN]);
});

test("a run from published scores offers LIM alone, and a method asked of it falls back to LIM", () => {
  const only = methodColumns(null, lim.scores);
  assert.deepEqual(availableMethods(only), ["lim"]);
  assert.equal(pageSelection(only, view({ method: "variance" }), 0.6).method, "lim");
  assert.deepEqual(methodSortKeys(only), {});
});

test("focus: a category, a region, kept by A not by B at equal budget", () => {
  const never = focusMask(mc, view({ category: "never-solved" }), null)!;
  assert.deepEqual([...never], [1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(mc.category![2], CATEGORY_CODES.learned);
  assert.equal(mc.category![3], CATEGORY_CODES.forgotten);
  const hard = focusMask(mc, view({ inRegion: "hard-to-learn" }), null)!;
  assert.equal(hard[0], 1, "never solved is hard-to-learn");
  const equal = equalBudgetSelections(mc, 3);
  assert.deepEqual([...equal.keys()], ["lim", "variance", "learnability", "linear", "pass-rate", "rand"]);
  const kept = focusMask(mc, view({ kept: ["lim", "variance"] }), equal)!;
  const a = equal.get("lim")!.mask;
  const b = equal.get("variance")!.mask;
  for (let p = 0; p < 8; p++) assert.equal(kept[p], a[p] && !b[p] ? 1 : 0);
  assert.equal(focusMask(mc, view(), equal), null);
});

test("table rows: the filter's group, the search and the focus, in sorted order", () => {
  const sorted = Int32Array.from([7, 6, 5, 4, 3, 2, 1, 0]);
  const groups = Uint8Array.from([0, 1, 1, 0, 1, 0, 0, 2]);
  assert.equal(tableRows(sorted, groups, "all", null, null), sorted);
  assert.deepEqual([...tableRows(sorted, groups, "selected", null, null)], [4, 2, 1]);
  assert.deepEqual([...tableRows(sorted, groups, "not-selected", null, null)], [6, 5, 3, 0]);
  assert.deepEqual([...tableRows(sorted, groups, "excluded", null, null)], [7]);
  const match = Uint8Array.from([1, 1, 0, 1, 1, 1, 1, 1]);
  const focus = Uint8Array.from([1, 1, 1, 0, 1, 1, 1, 1]);
  assert.deepEqual([...tableRows(sorted, groups, "selected", match, focus)], [4, 1]);
});

test("histogram bars split by the selection: a threshold by binary search, top N and regions by the mask", () => {
  for (const v of [view({ method: "variance", top: 3 }), view({ method: "pass-rate" }), view({ method: "cartography" }), view({ method: "linear", min: 0.5 }), view()]) {
    const sel = pageSelection(mc, v, 0.6);
    const bars = selectionBars(scoreBins(sel.method, sel.scores.score), sel);
    assert.equal(bars.reduce((n, b) => n + b.selected, 0), sel.selection.count, v.method);
    assert.equal(bars.reduce((n, b) => n + b.selected + b.notSelected, 0), sel.scored, v.method);
  }
  const top = pageSelection(mc, view({ method: "variance", top: 3 }), 0.6);
  const kept = [...top.scores.score].filter((_, p) => top.selection.mask[p]);
  assert.equal(ruleMarker(top), Math.min(...kept));
  assert.equal(ruleMarker(pageSelection(mc, view({ method: "pass-rate" }), 0.6)), null);
  assert.equal(ruleMarker(pageSelection(mc, view({ method: "cartography" }), 0.6)), mc.scores.cartography!.map!.ambiguousFrom);
  assert.equal(scoreBins("learnability", mc.scores.learnability!.score).bins.hi, 0.25);
});
