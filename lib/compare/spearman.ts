/**
 * Rank correlation, pure (no I/O): typed arrays in, a number out, so the Compare page computes in
 * the browser what `lim compare-runs` prints.
 */

/**
 * 1-based ranks of `values` in ascending order, ties given the average of the ranks they span
 * (values 5, 1, 5 rank 2.5, 1, 2.5). Values must be finite numbers (no NaN).
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => values[i] - values[j] || i - j);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // positions start..end-1 hold ranks start+1..end: their mean is (start + 1 + end) / 2
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's correlation of two equally long series; undefined when either is constant or fewer than 2 points. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | undefined {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: ${n} values against ${y.length}`);
  if (n < 2) return undefined;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return undefined;
  // Rounding can carry a perfect correlation a hair past 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Spearman's rank correlation: Pearson's correlation of the average ranks (ties averaged, as
 * scipy.stats.spearmanr). Undefined when either series is constant (every rank equal) or has
 * fewer than 2 points; `lim compare-runs --json` writes that as null.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | undefined {
  if (x.length !== y.length) throw new Error(`spearman: ${x.length} values against ${y.length}`);
  return pearson(averageRanks(x), averageRanks(y));
}
