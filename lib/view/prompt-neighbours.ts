/**
 * "Previous / next prompt" on the prompt page, in the order the run page's table shows
 * (same sort, filter, search, method, rule and focus, carried in the link), computed on the
 * server with the same ordering functions, the same text order, the same search and the same
 * method columns.
 */
import type { ScoredRun } from "../runs/score-run";
import { methodColumns, methodSortKeys, type MethodColumns } from "./method-columns";
import { equalBudgetSelections, focusMask, pageSelection, selectedKey, type PageSelection } from "./page-selection";
import { countSelected } from "../lim/select";
import { METHOD_SORT_KEYS, sortRows, type TableColumns } from "./table-order";
import { tableRows } from "./table-rows";
import type { ViewState } from "./view-state";

/**
 * The table's columns from the server's scored run. `textRank` (the run's text order) is
 * needed only when the view sorts by prompt.
 */
export function columnsFromScored(scored: ScoredRun, rollouts: readonly number[], textRank: ArrayLike<number> | null = null): TableColumns {
  const n = scored.prompts.length;
  const first = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n).fill(NaN);
  const mean = new Float64Array(n).fill(NaN);
  const lim = scored.lim;
  const K = lim?.epochs ?? 0;
  for (let i = 0; lim && K > 0 && i < n; i++) {
    const a = lim.accuracy.subarray(i * K, i * K + K); // NaN: no rollout that epoch
    first[i] = a[0];
    last[i] = a[K - 1];
    let sum = 0;
    let m = 0;
    for (const v of a) if (!Number.isNaN(v)) (sum += v), m++;
    if (m) mean[i] = sum / m;
  }
  return { scores: scored.lim ? scored.lim.scores : scored.scores, first, last, mean, rollouts, textRank };
}

export interface Neighbours {
  prev: number | null;
  next: number | null;
  /** 1-based position in the table's order, null when the prompt is filtered out. */
  position: number | null;
  total: number;
}

/** Whether a view needs the other methods' columns (otherwise LIM's scores alone order it). */
export function viewNeedsMethods(view: ViewState): boolean {
  return view.method !== "lim" || view.top !== null || view.category !== null || view.kept !== null || view.inRegion !== null || (METHOD_SORT_KEYS as readonly string[]).includes(view.sort);
}

/**
 * The table's rows and the chosen method's selection. `methods`: the run's method columns when
 * the view needs them (viewNeedsMethods), else LIM's scores alone are enough.
 */
export function tableOrder(cols: TableColumns, view: ViewState, match: Uint8Array | null, methods: MethodColumns | null): { order: Int32Array; selection: PageSelection } {
  const scores = Float64Array.from(cols.scores as ArrayLike<number | null>, (s) => (s === null ? NaN : s));
  const mc = methods ?? methodColumns(null, scores);
  const selection = pageSelection(mc, view, view.threshold);
  const selected = view.sort === "selected" ? selectedKey(selection) : undefined;
  const keys = { ...methodSortKeys(mc), ...(selected ? { selected } : {}) };
  const equal = view.kept && mc.lim ? equalBudgetSelections(mc, countSelected(scores, view.threshold)) : null;
  const order = tableRows(sortRows({ ...cols, methodKeys: keys }, view.sort, view.desc), selection.groups, view.filter, match, focusMask(mc, view, equal));
  return { order, selection };
}

/** `match`: the view's search (searchMask of view.q), null when there is none. */
export function neighbours(cols: TableColumns, view: ViewState, ordinal: number, match: Uint8Array | null = null, methods: MethodColumns | null = null): Neighbours {
  return neighboursIn(tableOrder(cols, view, match, methods).order, ordinal, cols.scores.length);
}

export function neighboursIn(order: Int32Array, ordinal: number, n: number): Neighbours {
  const at = order.indexOf(ordinal);
  if (at < 0) {
    // Filtered out (say, a link opened at another threshold): walk prompt order instead.
    return { prev: ordinal > 0 ? ordinal - 1 : null, next: ordinal + 1 < n ? ordinal + 1 : null, position: null, total: order.length };
  }
  return { prev: at > 0 ? order[at - 1] : null, next: at + 1 < order.length ? order[at + 1] : null, position: at + 1, total: order.length };
}
