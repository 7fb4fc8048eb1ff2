/**
 * The LIM score histogram. Bins are fixed once per set of scores (nice widths, edges on
 * multiples of the width so common thresholds such as 0.6 fall on an edge), over the scores
 * sorted once (sortedScores in lib/lim/select.ts): each bin is then a run of that array, so a
 * threshold change splits every bar with one binary search, whatever the number of prompts.
 */
import { firstSelectedIndex } from "../lim/select";

const NICE = [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5];
/** Scores far below the bulk (never-solved prompts can reach -10) go into the first bin. */
const LOW_QUANTILE = 0.01;

export interface HistogramBins {
  lo: number;
  hi: number;
  width: number;
  count: number;
  /** starts[b]: index in the sorted scores of bin b's first score; starts[count]: their number. */
  starts: Int32Array;
  /** True when the first bin also holds scores below `lo`. */
  clippedLow: boolean;
}

/** The bin a score falls in. */
export function binOf(bins: Pick<HistogramBins, "lo" | "width" | "count">, s: number): number {
  return Math.min(bins.count - 1, Math.max(0, Math.floor((s - bins.lo) / bins.width + 1e-9)));
}

/**
 * Bins for the scored prompts' scores in ascending order (sortedScores), in one pass. The
 * range reaches at least `top` (LIM's 1; a method's own bound, such as learnability's 0.25).
 */
export function histogramBins(sorted: Float64Array, targetBins = 40, topAtLeast = 1): HistogramBins {
  if (sorted.length === 0) return { lo: 0, hi: topAtLeast, width: topAtLeast / 20, count: 20, starts: new Int32Array(21), clippedLow: false };
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const low = sorted[Math.floor(LOW_QUANTILE * (sorted.length - 1))];
  const top = Math.max(topAtLeast, max);
  const span = Math.max(top - low, 1e-6);
  const width = NICE.find((w) => span / w <= targetBins) ?? NICE[NICE.length - 1];
  const lo = Math.floor(low / width + 1e-9) * width;
  const hi = Math.ceil(top / width - 1e-9) * width;
  const count = Math.max(1, Math.round((hi - lo) / width));
  // binOf is monotone in the score, so each bin is a run of the sorted scores.
  const starts = new Int32Array(count + 1);
  let b = 0;
  for (let i = 0; i < sorted.length; i++) {
    const bi = binOf({ lo, width, count }, sorted[i]);
    while (b < bi) starts[++b] = i;
  }
  while (b < count) starts[++b] = sorted.length;
  return { lo, hi, width, count, starts, clippedLow: min < lo };
}

export interface HistogramBar {
  x0: number;
  x1: number;
  selected: number;
  notSelected: number;
}

/** Per bin, the scores selected at the threshold (isSelected's rule) and the others. */
export function histogramBars(bins: HistogramBins, sorted: ArrayLike<number>, threshold: number): HistogramBar[] {
  const cut = firstSelectedIndex(sorted, threshold);
  const bars: HistogramBar[] = [];
  for (let b = 0; b < bins.count; b++) {
    const from = bins.starts[b];
    const to = bins.starts[b + 1];
    const selected = Math.max(0, to - Math.max(from, cut));
    bars.push({ x0: bins.lo + b * bins.width, x1: bins.lo + (b + 1) * bins.width, selected, notSelected: to - from - selected });
  }
  return bars;
}

/** Threshold position along the x axis in [0, 1], clamped to the drawn range. */
export function thresholdFraction(bins: HistogramBins, threshold: number): number {
  return Math.min(1, Math.max(0, (threshold - bins.lo) / (bins.hi - bins.lo)));
}
