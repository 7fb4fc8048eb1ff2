/**
 * The selection rule, in one place: the slider's count, the table's check column, the export
 * file and the CLI all call this. Inclusive, as the published script and set use (s >= theta).
 */
export function isSelected(score: number | null | undefined, threshold: number): boolean {
  return score !== null && score !== undefined && score >= threshold;
}

/** Indices (in input order) of the selected scores. */
export function selectIndices(scores: ArrayLike<number | null>, threshold: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (isSelected(scores[i], threshold)) out.push(i);
  return out;
}

export function countSelected(scores: ArrayLike<number | null>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (isSelected(scores[i], threshold)) n++;
  return n;
}

export const DEFAULT_THRESHOLD = 0.6;

/**
 * The scored prompts' scores in ascending order (excluded ones, null or NaN, left out): sorted
 * once per set of scores, so that each threshold's count is a binary search.
 */
export function sortedScores(scores: ArrayLike<number | null>): Float64Array {
  let m = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== null && s === s) m++;
  }
  const out = new Float64Array(m);
  m = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s !== null && s === s) out[m++] = s;
  }
  return out.sort(); // numeric for a typed array
}

/**
 * Index of the first score in `sorted` (ascending, no NaN) that isSelected at the threshold:
 * every score from there on is selected, none before it.
 */
export function firstSelectedIndex(sorted: ArrayLike<number>, threshold: number): number {
  if (threshold !== threshold) return sorted.length; // NaN: `s >= NaN` selects nothing
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isSelected(sorted[mid], threshold)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** countSelected over sortedScores(scores): the same number, in O(log n). */
export function countSelectedSorted(sorted: ArrayLike<number>, threshold: number): number {
  return sorted.length - firstSelectedIndex(sorted, threshold);
}
