import { countSelected } from "../lim/select";
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

/** Linear-interpolated quantile of sorted values (numpy's default method). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(scored: ScoredRun, threshold: number): ScoreSummary {
  const values = scored.scores.filter((s): s is number => s !== null).sort((a, b) => a - b);
  let missingEpochs = 0;
  let undefinedScore = 0;
  for (const code of scored.exclusion) {
    if (code === EXCLUSION_CODES["missing-epochs"]) missingEpochs++;
    else if (code === EXCLUSION_CODES["undefined-score"]) undefinedScore++;
  }
  return {
    run: scored.run.name,
    threshold,
    params: scored.params,
    prompts: scored.prompts.length,
    scored: values.length,
    excluded: { total: scored.prompts.length - values.length, missingEpochs, undefinedScore },
    selected: countSelected(scored.scores, threshold),
    average: scored.lim?.average ?? [],
    quantiles: values.length ? QUANTILES.map((q) => ({ q, score: quantile(values, q) })) : [],
    ...(scored.lim?.visits ? { visits: scored.lim.visits } : {}),
  };
}
