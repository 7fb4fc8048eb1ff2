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
import { METHOD_SORT_KEYS, sortKeyColumn, type TableColumns } from "./table-order";
import { rowInTable } from "./table-rows";
import type { ViewState } from "./view-state";

/**
 * The table's columns from the server's scored run. `textRank` (the run's text order) is
 * needed only when the view sorts by prompt.
 */
export function columnsFromScored(scored: ScoredRun, rollouts: readonly number[], textRank: ArrayLike<number> | null = null): TableColumns {
  const n = scored.exclusion.length; // prompts: the server scores without their texts
  const first = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n).fill(NaN);
  const mean = new Float64Array(n).fill(NaN);
  const lim = scored.lim;
  const K = lim?.epochs ?? 0;
  // Plain index loops: a subarray per prompt cost ~0.3 s at a million prompts.
  const acc = lim?.accuracy;
  for (let i = 0; acc && K > 0 && i < n; i++) {
    const at = i * K; // NaN: no rollout that epoch
    first[i] = acc[at];
    last[i] = acc[at + K - 1];
    let sum = 0;
    let m = 0;
    for (let k = at; k < at + K; k++) {
      const v = acc[k];
      if (v === v) (sum += v), m++;
    }
    if (m) mean[i] = sum / m;
  }
  const scoreKey = lim ? lim.scores : numbersOf(scored.scores);
  return { scores: lim ? lim.scores : scored.scores, scoreKey, first, last, mean, rollouts, textRank };
}

/** Scores as numbers, NaN where there is none (a loop: Float64Array.from with a map is ~10x slower). */
function numbersOf(scores: ArrayLike<number | null>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) {
    const s = scores[i];
    out[i] = s === null ? NaN : s;
  }
  return out;
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
 * The chosen method's selection, and the prompt's place among the table's rows: the rows the
 * run page's table shows (tableRows over sortRows, same sort, filter, search and focus), found
 * by one pass over the sort's column instead of sorting. A prompt page at a million prompts
 * would otherwise sort them all on every visit.
 */
export function promptNeighbours(cols: TableColumns, view: ViewState, ordinal: number, match: Uint8Array | null, methods: MethodColumns | null): { near: Neighbours; selection: PageSelection } {
  const scores = cols.scoreKey ?? numbersOf(cols.scores);
  const mc = methods ?? methodColumns(null, scores);
  const selection = pageSelection(mc, view, view.threshold);
  const selected = view.sort === "selected" ? selectedKey(selection) : undefined;
  const keyed: TableColumns = { ...cols, scoreKey: scores, methodKeys: { ...methodSortKeys(mc), ...(selected ? { selected } : {}) } };
  const equal = view.kept && mc.lim ? equalBudgetSelections(mc, countSelected(scores, view.threshold)) : null;
  const shown = rowInTable(selection.groups, view.filter, match, focusMask(mc, view, equal));
  const key = sortKeyColumn(keyed, view.sort);
  // sortRows' order: by key, missing (NaN) last either way, ties by prompt order; without a key,
  // prompt order (reversed only for the ordinal column, descending).
  const desc = view.desc;
  const reversed = key === null && view.sort === "ordinal" && desc;
  const before = (a: number, b: number): boolean => {
    if (key === null) return reversed ? a > b : a < b;
    const x = key[a];
    const y = key[b];
    if (x !== x || y !== y) return x !== x && y !== y ? a < b : y !== y;
    if (x === y) return a < b;
    return desc ? x > y : x < y;
  };
  return { near: neighboursAmong(cols.scores.length, shown, before, ordinal), selection };
}

/** `match`: the view's search (searchMask of view.q), null when there is none. */
export function neighbours(cols: TableColumns, view: ViewState, ordinal: number, match: Uint8Array | null = null, methods: MethodColumns | null = null): Neighbours {
  return promptNeighbours(cols, view, ordinal, match, methods).near;
}

/** The neighbours of `ordinal` among the n rows `shown`, in the order `before` defines. */
function neighboursAmong(n: number, shown: (i: number) => boolean, before: (a: number, b: number) => boolean, ordinal: number): Neighbours {
  let total = 0;
  let ahead = 0;
  let prev = -1;
  let next = -1;
  for (let i = 0; i < n; i++) {
    if (!shown(i)) continue;
    total++;
    if (i === ordinal) continue;
    if (before(i, ordinal)) {
      ahead++;
      if (prev < 0 || before(prev, i)) prev = i;
    } else if (next < 0 || before(i, next)) next = i;
  }
  if (ordinal >= n || !shown(ordinal)) {
    // Filtered out (say, a link opened at another threshold): walk prompt order instead.
    return { prev: ordinal > 0 ? ordinal - 1 : null, next: ordinal + 1 < n ? ordinal + 1 : null, position: null, total };
  }
  return { prev: prev < 0 ? null : prev, next: next < 0 ? null : next, position: ahead + 1, total };
}
