"use client";
import { useEffect, useMemo, useRef } from "react";
import { countSelectedSorted } from "../../lib/lim/select";
import type { MethodScores } from "../../lib/methods/method-scores";
import { methodWarnings } from "../../lib/methods/warnings";
import { availableMethods, methodColumns, methodSortKeys } from "../../lib/view/method-columns";
import { ruleMarker, scoreBins, selectionBars, type ScoreBins } from "../../lib/view/method-histogram";
import { equalBudgetSelections, focusMask, pageSelection, selectedKey } from "../../lib/view/page-selection";
import type { RunModel } from "../../lib/view/run-model";
import type { ViewState } from "../../lib/view/view-state";
import { useSettled } from "./use-settled";

/**
 * Everything the run page derives from the chosen method, memoised by what it depends on:
 * every method's scores once per scored run (and RAND's seed), then per rule change one
 * selection pass, one histogram pass and the table's groups. The overlap matrix and the
 * focus of "kept by A, not by B" follow the budget once it has settled, so a slider move
 * paints the count and the histogram first.
 */
export function usePageMethods(model: RunModel | null, view: ViewState) {
  const mc = useMemo(() => (model ? methodColumns(model.lim, model.scores, view.seed) : null), [model, view.seed]);
  const available = useMemo(() => (mc ? availableMethods(mc) : (["lim"] as const)), [mc]);
  const sel = useMemo(
    () => (mc ? pageSelection(mc, view, view.threshold) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mc, view.method, view.top, view.min, view.region, view.threshold],
  );
  // Bins sort a method's scores once; switching back to a method reuses them.
  const binsCache = useRef(new WeakMap<MethodScores, ScoreBins>());
  const bins = useMemo(() => {
    if (!sel) return null;
    let b = binsCache.current.get(sel.scores);
    if (!b) binsCache.current.set(sel.scores, (b = scoreBins(sel.method, sel.scores.score)));
    return b;
  }, [sel]);
  // The other methods are binned while the page is idle, one per idle slot, so the first
  // switch to one costs what a switch back costs (the sort is most of a switch at 100k).
  useEffect(() => {
    if (!mc) return;
    const pending = availableMethods(mc).map((m) => [m, mc.scores[m]!] as const);
    let handle = 0;
    const next = () => {
      const item = pending.shift();
      if (!item) return;
      const [method, scores] = item;
      if (!binsCache.current.has(scores)) binsCache.current.set(scores, scoreBins(method, scores.score));
      handle = whenIdle(next);
    };
    handle = whenIdle(next);
    return () => cancelIdle(handle);
  }, [mc]);
  const bars = useMemo(() => (bins && sel ? selectionBars(bins, sel) : []), [bins, sel]);
  const marker = useMemo(() => (sel ? ruleMarker(sel) : null), [sel]);
  const budget = model ? countSelectedSorted(model.sorted, view.threshold) : 0;
  const deferredBudget = useSettled(budget, 150);
  const equal = useMemo(() => (mc && mc.lim ? equalBudgetSelections(mc, deferredBudget) : null), [mc, deferredBudget]);
  const focus = useMemo(
    () => (mc ? focusMask(mc, view, equal) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mc, view.category, view.inRegion, view.kept?.join(), equal],
  );
  // The table re-sorts when its keys change: the selection's key only matters sorted by it.
  const baseKeys = useMemo(() => (mc ? methodSortKeys(mc) : undefined), [mc]);
  const selKey = useMemo(() => (view.sort === "selected" && sel ? selectedKey(sel) : undefined), [view.sort, sel]);
  const methodKeys = useMemo(() => (baseKeys && selKey ? { ...baseKeys, selected: selKey } : baseKeys), [baseKeys, selKey]);
  const warnings = useMemo(() => (model?.lim && sel ? methodWarnings(model.lim, model.header.logShape, [sel.method]) : []), [model, sel?.method]); // eslint-disable-line react-hooks/exhaustive-deps
  return { mc, available, sel, bins, bars, marker, budget: deferredBudget, equal, focus, methodKeys, warnings };
}

/** requestIdleCallback where the browser has it (Safari does not), else a timeout. */
function whenIdle(run: () => void): number {
  return typeof requestIdleCallback === "function" ? requestIdleCallback(run, { timeout: 2000 }) : window.setTimeout(run, 50);
}

function cancelIdle(handle: number): void {
  if (typeof cancelIdleCallback === "function") cancelIdleCallback(handle);
  else window.clearTimeout(handle);
}
