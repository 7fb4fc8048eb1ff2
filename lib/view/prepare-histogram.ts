/**
 * The LIM score histogram. Bins are fixed once per set of scores (nice widths, edges on
 * multiples of the width so common thresholds such as 0.6 fall on an edge); a threshold
 * change only recounts selected vs not per bin, one pass over the scores.
 */
import { isSelected } from "../lim/select";

const NICE = [0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5];
/** Scores far below the bulk (never-solved prompts can reach -10) go into the first bin. */
const LOW_QUANTILE = 0.01;

export interface HistogramBins {
  lo: number;
  hi: number;
  width: number;
  count: number;
  /** Per prompt: its bin, or -1 when it has no score. */
  binOf: Int32Array;
  /** True when the first bin also holds scores below `lo`. */
  clippedLow: boolean;
}

export function histogramBins(scores: readonly (number | null)[], targetBins = 40): HistogramBins {
  let m = 0;
  for (const s of scores) if (s !== null) m++;
  const values = new Float64Array(m);
  m = 0;
  for (const s of scores) if (s !== null) values[m++] = s;
  const binOf = new Int32Array(scores.length).fill(-1);
  if (values.length === 0) return { lo: 0, hi: 1, width: 0.05, count: 20, binOf, clippedLow: false };
  values.sort(); // numeric for a typed array, and far faster than a comparator at 100k
  const min = values[0];
  const max = values[values.length - 1];
  const low = values[Math.floor(LOW_QUANTILE * (values.length - 1))];
  const top = Math.max(1, max);
  const span = Math.max(top - low, 1e-6);
  const width = NICE.find((w) => span / w <= targetBins) ?? NICE[NICE.length - 1];
  const lo = Math.floor(low / width + 1e-9) * width;
  const hi = Math.ceil(top / width - 1e-9) * width;
  const count = Math.max(1, Math.round((hi - lo) / width));
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s === null) continue;
    binOf[i] = Math.min(count - 1, Math.max(0, Math.floor((s - lo) / width + 1e-9)));
  }
  return { lo, hi, width, count, binOf, clippedLow: min < lo };
}

export interface HistogramBar {
  x0: number;
  x1: number;
  selected: number;
  notSelected: number;
}

export function histogramBars(bins: HistogramBins, scores: readonly (number | null)[], threshold: number): HistogramBar[] {
  const selected = new Int32Array(bins.count);
  const notSelected = new Int32Array(bins.count);
  for (let i = 0; i < scores.length; i++) {
    const b = bins.binOf[i];
    if (b < 0) continue;
    if (isSelected(scores[i], threshold)) selected[b]++;
    else notSelected[b]++;
  }
  const bars: HistogramBar[] = [];
  for (let b = 0; b < bins.count; b++) {
    bars.push({ x0: bins.lo + b * bins.width, x1: bins.lo + (b + 1) * bins.width, selected: selected[b], notSelected: notSelected[b] });
  }
  return bars;
}

/** Threshold position along the x axis in [0, 1], clamped to the drawn range. */
export function thresholdFraction(bins: HistogramBins, threshold: number): number {
  return Math.min(1, Math.max(0, (threshold - bins.lo) / (bins.hi - bins.lo)));
}
