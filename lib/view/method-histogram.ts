/**
 * The histogram of the chosen method's scores, split into selected and not selected by the
 * rule in force. A threshold splits each bar with one binary search (histogramBars); top N, a
 * region or pass-rate's "0 < score < 1" split it by the selection mask in one pass.
 */
import { sortedScores } from "../lim/select";
import type { MethodName } from "../methods/methods";
import type { PageSelection } from "./page-selection";
import { binOf, histogramBars, histogramBins, type HistogramBar, type HistogramBins } from "./prepare-histogram";

/** The top of each method's range: a std of values in [0, 1] is at most 0.5, p(1 - p) at most 0.25. */
const RANGE_TOP: Record<MethodName, number> = { lim: 1, variance: 0.5, learnability: 0.25, linear: 1, "pass-rate": 1, rand: 1, cartography: 0.5 };

export interface ScoreBins {
  bins: HistogramBins;
  /** The method's defined scores, ascending. */
  sorted: Float64Array;
}

/** Once per method's scores. */
export function scoreBins(method: MethodName, score: Float64Array): ScoreBins {
  const sorted = sortedScores(score);
  return { bins: histogramBins(sorted, 40, RANGE_TOP[method]), sorted };
}

export function selectionBars(sb: ScoreBins, sel: PageSelection): HistogramBar[] {
  if (sel.rule.kind === "threshold") return histogramBars(sb.bins, sb.sorted, sel.rule.threshold);
  const { bins } = sb;
  const total = new Uint32Array(bins.count);
  const chosen = new Uint32Array(bins.count);
  const s = sel.scores.score;
  const mask = sel.selection.mask;
  for (let p = 0; p < s.length; p++) {
    const v = s[p];
    if (v !== v) continue;
    const b = binOf(bins, v);
    total[b]++;
    chosen[b] += mask[p];
  }
  return Array.from({ length: bins.count }, (_, b) => ({ x0: bins.lo + b * bins.width, x1: bins.lo + (b + 1) * bins.width, selected: chosen[b], notSelected: total[b] - chosen[b] }));
}

/**
 * Where the rule's line goes: the threshold, top N's lowest kept score, cartography's
 * ambiguous cut (variability); null for pass-rate's two open bounds or an empty selection.
 */
export function ruleMarker(sel: PageSelection): number | null {
  const rule = sel.rule;
  if (rule.kind === "threshold") return rule.threshold;
  if (rule.kind === "region") {
    const cut = sel.scores.map?.ambiguousFrom ?? NaN;
    return cut === cut ? cut : null;
  }
  if (rule.kind === "between") return null;
  let low = Infinity;
  const s = sel.scores.score;
  for (let p = 0; p < s.length; p++) if (sel.selection.mask[p] && s[p] < low) low = s[p];
  return low === Infinity ? null : low;
}
