/**
 * "Previous / next prompt" on the prompt page, in the order the run page's table shows
 * (same sort, filter, search and threshold, carried in the link), computed on the server
 * with the same ordering functions, the same text order and the same search.
 */
import type { ScoredRun } from "../runs/score-run";
import { filterRows, sortRows, type TableColumns } from "./table-order";
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

/** `match`: the view's search (searchMask of view.q), null when there is none. */
export function neighbours(cols: TableColumns, view: ViewState, ordinal: number, match: Uint8Array | null = null): Neighbours {
  const n = cols.scores.length;
  const order = filterRows(sortRows(cols, view.sort, view.desc), cols.scores, view.filter, view.threshold, match);
  const at = order.indexOf(ordinal);
  if (at < 0) {
    // Filtered out (say, a link opened at another threshold): walk prompt order instead.
    return { prev: ordinal > 0 ? ordinal - 1 : null, next: ordinal + 1 < n ? ordinal + 1 : null, position: null, total: order.length };
  }
  return { prev: at > 0 ? order[at - 1] : null, next: at + 1 < order.length ? order[at + 1] : null, position: at + 1, total: order.length };
}
