import { isSelected } from "../lim/select";
import { EXCLUSION_CODES } from "../lim/types";
import type { ScoredRun } from "./score-run";

export interface ScoreSummary {
  run: string;
  threshold: number;
  params: ScoredRun["params"];
  prompts: number;
  scored: number;
  excluded: { total: number; missingEpochs: number; undefinedScore: number };
  selected: number;
  /** Model average accuracy per epoch (empty for imported-score runs). */
  average: number[];
  quantiles: { q: number; score: number }[];
  /** Epochs by visits only: the fewest, usual (reached by 95%) and most visits of any prompt. */
  visits?: { fewest: number; usual: number; most: number };
}

const QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

/** The summary's quantiles of ascending scores (none when there are none). */
export function scoreQuantiles(sorted: ArrayLike<number>): { q: number; score: number }[] {
  return sorted.length ? QUANTILES.map((q) => ({ q, score: quantile(sorted, q) })) : [];
}

/** Linear-interpolated quantile of sorted values (numpy's default method). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(scored: ScoredRun, threshold: number): ScoreSummary {
  // A typed copy sorts natively: a million scores in milliseconds, not a comparator's second.
  // (a typed array sorts NaN, the excluded, last)
  const all = (scored.lim ? scored.lim.scores.slice() : Float64Array.from(scored.scores, (s) => s ?? NaN)).sort();
  let n = all.length;
  while (n > 0 && Number.isNaN(all[n - 1])) n--;
  const values = all.subarray(0, n);
  let missingEpochs = 0;
  let undefinedScore = 0;
  for (const code of scored.exclusion) {
    if (code === EXCLUSION_CODES["missing-epochs"]) missingEpochs++;
    else if (code === EXCLUSION_CODES["undefined-score"]) undefinedScore++;
  }
  const prompts = scored.exclusion.length;
  return {
    run: scored.run.name,
    threshold,
    params: scored.params,
    prompts,
    scored: values.length,
    excluded: { total: prompts - values.length, missingEpochs, undefinedScore },
    selected: values.length - lowerBound(values, threshold),
    average: scored.lim?.average ?? [],
    quantiles: scoreQuantiles(values),
    ...(scored.lim?.visits ? { visits: scored.lim.visits } : {}),
  };
}

/** The first index of sorted `values` holding a value >= x: below it, isSelected is false. */
function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isSelected(values[mid], x)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
