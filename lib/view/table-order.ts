/**
 * Row order of the prompt table: sort, text search and the selection filter over column
 * arrays. Sorting is done once per sort key; a threshold change only re-runs the O(n)
 * filter pass, which keeps the slider live at 100k prompts.
 */
import { isSelected } from "../lim/select";

export const SORT_KEYS = ["prompt", "score", "first", "last", "rollouts", "selected", "trajectory", "ordinal"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const FILTERS = ["all", "selected", "not-selected", "excluded"] as const;
export type Filter = (typeof FILTERS)[number];

/** What ordering needs per prompt (NaN where a number is missing). */
export interface TableColumns {
  texts: readonly string[];
  scores: readonly (number | null)[];
  first: Float64Array;
  last: Float64Array;
  rollouts: ArrayLike<number>;
  /** Mean logged accuracy across epochs: how the trajectory column sorts. */
  mean: Float64Array;
  /** The scores as numbers (NaN when excluded), when the caller already has them. */
  scoreKey?: Float64Array;
}

function numericKey(cols: TableColumns, key: SortKey): ArrayLike<number> | null {
  switch (key) {
    case "score":
    case "selected":
      // Selection is monotone in the score, so "selected first" is "highest score first".
      return cols.scoreKey ?? Float64Array.from(cols.scores, (s) => (s === null ? NaN : s));
    case "first":
      return cols.first;
    case "last":
      return cols.last;
    case "rollouts":
      return cols.rollouts;
    case "trajectory":
      return cols.mean;
    default:
      return null;
  }
}

/**
 * Every row index in sorted order. Missing values (excluded scores, absent epochs) sort last
 * in both directions; ties keep prompt order so the view is stable.
 */
export function sortRows(cols: TableColumns, key: SortKey, desc: boolean): Int32Array {
  const n = cols.texts.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (key === "ordinal") return desc ? order.reverse() : order;
  const sign = desc ? -1 : 1;
  if (key === "prompt") {
    const lower = cols.texts.map((t) => t.toLowerCase());
    return order.sort((a, b) => (lower[a] < lower[b] ? -sign : lower[a] > lower[b] ? sign : a - b));
  }
  const v = numericKey(cols, key) as ArrayLike<number>;
  return order.sort((a, b) => {
    const x = v[a];
    const y = v[b];
    const xm = x !== x; // NaN
    const ym = y !== y;
    if (xm || ym) return xm && ym ? a - b : xm ? 1 : -1;
    return x === y ? a - b : (x < y ? -1 : 1) * sign;
  });
}

/** Rows whose text contains every word of the query (case-insensitive); null for no query. */
export function matchQuery(texts: readonly string[], query: string): Uint8Array | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const out = new Uint8Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i].toLowerCase();
    out[i] = words.every((w) => t.includes(w)) ? 1 : 0;
  }
  return out;
}

/** The three filter groups are disjoint: selected, scored but below the threshold, excluded. */
export function filterRows(
  sorted: Int32Array,
  scores: readonly (number | null)[],
  filter: Filter,
  threshold: number,
  match: Uint8Array | null,
): Int32Array {
  if (filter === "all" && !match) return sorted;
  const out = new Int32Array(sorted.length);
  let m = 0;
  for (let j = 0; j < sorted.length; j++) {
    const i = sorted[j];
    if (match && !match[i]) continue;
    const s = scores[i];
    if (filter === "selected" && !isSelected(s, threshold)) continue;
    if (filter === "not-selected" && (s === null || isSelected(s, threshold))) continue;
    if (filter === "excluded" && s !== null) continue;
    out[m++] = i;
  }
  return out.subarray(0, m);
}
