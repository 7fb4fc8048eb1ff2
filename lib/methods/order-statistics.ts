/**
 * The k-th smallest of `a` (0-based), rearranging `a` in place so that a[0..k) <= a[k] <=
 * a(k..]: Hoare's FIND as in Wirth's "Algorithms + Data Structures", median-of-three pivot.
 * Linear time on average: a top N or a percentile at a million prompts without a sort.
 * `a` must hold no NaN.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const x = median3(a[lo], a[(lo + hi) >>> 1], a[hi]);
    let i = lo;
    let j = hi;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k];
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/** The values that are not NaN, as a new array. */
export function definedValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[n++] = values[i];
  return out;
}

/**
 * Percentile q (0..100) by linear interpolation between closest ranks, numpy's default:
 * position (n - 1) q / 100, v[lo] + (v[hi] - v[lo]) (position - lo) over the ascending values.
 * Rearranges `values` (no NaN).
 */
export function percentileInPlace(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const pos = ((n - 1) * q) / 100;
  const lo = Math.floor(pos);
  const low = selectKth(values, lo);
  if (lo + 1 >= n) return low;
  let high = Infinity; // the next rank: the least value after position lo
  for (let i = lo + 1; i < n; i++) if (values[i] < high) high = values[i];
  return low + (high - low) * (pos - lo);
}
