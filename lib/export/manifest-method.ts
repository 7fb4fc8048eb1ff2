import { METHODS } from "../methods/methods";
import { scoredCount } from "../methods/method-scores";
import { describeRule } from "../methods/select";
import { missingEpochCount } from "../runs/method-summary";
import type { MethodRun } from "../runs/run-methods";
import type { ScoredRun } from "../runs/score-run";
import type { MethodName } from "../methods/methods";

/** The manifest's `method`: which rule selected the set, in words. */
export interface ManifestMethod {
  /** "LIM" for LIM, else the method's CLI name. */
  name: string;
  /** The method's CLI name (`--method`). */
  id: MethodName;
  semantics: string;
  scores: string;
  selection: string;
}

/** The manifest's `counts`, but the rows written. */
export interface ManifestCounts {
  prompts: number;
  scored: number;
  excluded: number;
  excludedMissingEpochs: number;
  excludedUndefinedScore: number;
  selected: number;
}

/** The manifest's method for a method other than LIM. */
export function methodManifest(m: MethodRun): ManifestMethod {
  const info = METHODS[m.method];
  return {
    name: m.method,
    id: m.method,
    semantics: `${info.score}; source: ${info.source}; over LIM's per-epoch accuracies after its one left-to-right back-fill, prompts with an epoch still missing excluded`,
    scores: "computed from the run's logged rewards",
    selection: `${describeRule(m.rule)}${m.rule.kind === "top" ? " (ties to the prompt seen first in the log)" : ""}; every dataset row whose trimmed prompt is selected, in dataset order`,
  };
}

/** The counts for a method's selection: scored means given a score by this method. */
export function methodCounts(scored: ScoredRun, m: MethodRun): ManifestCounts {
  const prompts = scored.exclusion.length;
  const n = scoredCount(m.scores);
  const missing = missingEpochCount(scored.exclusion);
  return { prompts, scored: n, excluded: prompts - n, excludedMissingEpochs: missing, excludedUndefinedScore: prompts - n - missing, selected: m.selection.count };
}

/** The flags that give the same rule again (pass-rate's 0 < score < 1 is its default and has none). */
export function ruleFlags(m: MethodRun): string[] {
  const r = m.rule;
  const rule = r.kind === "threshold" ? [`--threshold ${r.threshold}`] : r.kind === "top" ? [`--top ${r.n}`] : r.kind === "region" ? [`--region ${r.region}`] : [];
  return [...rule, ...(m.scores.seed !== undefined ? [`--seed ${m.scores.seed}`] : [])];
}
