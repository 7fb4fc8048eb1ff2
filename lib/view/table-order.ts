/**
 * Row order of the prompt table: sort and text search over column arrays. Sorting is done
 * once per sort key; a rule change only re-runs the O(n) filter pass over the index array
 * (table-rows.ts), which keeps the slider live at a million prompts.
 * Texts never reach these functions: sorting by prompt uses a rank per prompt (textRank, sent
 * by the server), and search a mask of matching rows (matchQuery's rule, run on the server).
 */

/** The columns other methods add (their scores, and the trajectory category's code). */
export const METHOD_SORT_KEYS = ["variance", "learnability", "linear", "pass-rate", "rand", "category"] as const;
export type MethodSortKey = (typeof METHOD_SORT_KEYS)[number];

export const SORT_KEYS = ["prompt", "score", "first", "last", "rollouts", "selected", "trajectory", "ordinal", ...METHOD_SORT_KEYS] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const FILTERS = ["all", "selected", "not-selected", "excluded"] as const;
export type Filter = (typeof FILTERS)[number];

/** What ordering needs per prompt (NaN where a number is missing). */
export interface TableColumns {
  /** LIM score per prompt; null or NaN when excluded. Its length is the number of prompts. */
  scores: ArrayLike<number | null>;
  first: Float64Array;
  last: Float64Array;
  rollouts: ArrayLike<number>;
  /** Mean logged accuracy across epochs: how the trajectory column sorts. */
  mean: Float64Array;
  /** The scores as numbers (NaN when excluded), when the caller already has them. */
  scoreKey?: Float64Array;
  /**
   * Per prompt, its place in case-insensitive text order (textRank; equal texts share one):
   * what the prompt column sorts by. Without it the prompt column keeps prompt order.
   */
  textRank?: ArrayLike<number> | null;
  /**
   * The other methods' columns, by sort key (method-columns.ts), and `selected` when the
   * chosen method's selection is not monotone in LIM's score (1 selected, 0 not, NaN excluded).
   */
  methodKeys?: Partial<Record<MethodSortKey | "selected", ArrayLike<number>>>;
}

/** The column a sort key orders by; null: prompt order (the ordinal, or the prompt column before its text order arrived). */
export function sortKeyColumn(cols: TableColumns, key: SortKey): ArrayLike<number> | null {
  switch (key) {
    case "selected":
      if (cols.methodKeys?.selected) return cols.methodKeys.selected;
    // falls through: by default LIM's threshold selects, so "selected first" is "highest score first".
    case "score":
      return cols.scoreKey ?? Float64Array.from(cols.scores as ArrayLike<number | null>, (s) => (s === null ? NaN : s));
    case "first":
      return cols.first;
    case "last":
      return cols.last;
    case "rollouts":
      return cols.rollouts;
    case "trajectory":
      return cols.mean;
    case "prompt":
      return cols.textRank ?? null;
    case "ordinal":
      return null;
    default:
      return cols.methodKeys?.[key] ?? null;
  }
}

/**
 * Every row index in sorted order. Missing values (excluded scores, absent epochs) sort last
 * in both directions; ties keep prompt order so the view is stable. A stable radix sort on the
 * keys' bits (sortByComparator is the same order, the reference in the tests): a million rows
 * sort in tens of milliseconds, where a comparator takes seconds.
 */
export function sortRows(cols: TableColumns, key: SortKey, desc: boolean): Int32Array {
  const n = cols.scores.length;
  if (key === "ordinal") {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = desc ? n - 1 - i : i;
    return order;
  }
  const v = sortKeyColumn(cols, key);
  if (!v) return sortRows(cols, "ordinal", false); // the prompt column before its text order arrived
  return radixOrder(v, desc);
}

/** sortRows' order by comparator: NaN last, ties by index. */
export function sortByComparator(v: ArrayLike<number>, desc: boolean): Int32Array {
  const order = new Int32Array(v.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = desc ? -1 : 1;
  return order.sort((a, b) => {
    const x = v[a];
    const y = v[b];
    const xm = x !== x; // NaN
    const ym = y !== y;
    if (xm || ym) return xm && ym ? a - b : xm ? 1 : -1;
    return x === y ? a - b : (x < y ? -1 : 1) * sign;
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Radix passes, least significant first: [word (0 low, 1 high), shift, bits]; 11-bit digits keep the counts in cache. */
const PASSES: [number, number, number][] = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 11],
  [1, 11, 11],
  [1, 22, 10],
];

/**
 * LSD radix sort of the indices by each key's IEEE-754 bits made orderable as unsigned
 * integers (sign bit flipped for positives, every bit for negatives; inverted again for
 * descending), NaN as the largest key in both directions and -0 as 0. Six passes of 10-11
 * bits, each skipped when every key has the same digit; stable, so ties keep index order.
 */
function radixOrder(v: ArrayLike<number>, desc: boolean): Int32Array {
  const n = v.length;
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Int32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  const H = LITTLE_ENDIAN ? 1 : 0;
  const L = 1 - H;
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    const x = v[i];
    if (x !== x) {
      hi[i] = 0xffffffff;
      lo[i] = 0xffffffff;
      continue;
    }
    f[0] = x === 0 ? 0 : x;
    let h = u[H];
    let l = u[L];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    if (desc) {
      h = ~h;
      l = ~l;
    }
    hi[i] = h >>> 0;
    lo[i] = l >>> 0;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const count = new Uint32Array(2048);
  for (const [half, shift, bits] of PASSES) {
    const word = half === 0 ? lo : hi;
    const mask = (1 << bits) - 1;
    count.fill(0);
    for (let j = 0; j < n; j++) count[(word[j] >>> shift) & mask]++;
    if (n === 0 || count[(word[0] >>> shift) & mask] === n) continue; // one digit: nothing moves
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const at = count[(word[j] >>> shift) & mask]++;
      hi2[at] = hi[j];
      lo2[at] = lo[j];
      idx2[at] = idx[j];
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/**
 * Per prompt, its place in case-insensitive text order; equal texts (ignoring case) share a
 * rank, so ties keep prompt order in both directions. Computed once per run on the server.
 */
export function textRank(texts: readonly string[]): Uint32Array {
  const n = texts.length;
  const lower = texts.map((t) => t.toLowerCase());
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (lower[a] < lower[b] ? -1 : lower[a] > lower[b] ? 1 : a - b));
  const rank = new Uint32Array(n);
  let r = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0 && lower[order[j]] !== lower[order[j - 1]]) r++;
    rank[order[j]] = r;
  }
  return rank;
}

/** The words of a search: lower-cased, split on white space. */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Rows whose text contains every word of the query (case-insensitive); null for no query.
 * The rule of the prompt search (prompt-search.ts runs it on the server over every prompt).
 */
export function matchQuery(texts: readonly string[], query: string): Uint8Array | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  const out = new Uint8Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i].toLowerCase();
    out[i] = words.every((w) => t.includes(w)) ? 1 : 0;
  }
  return out;
}

