import { DEFAULT_THRESHOLD } from "../lim/select";
import { CATEGORIES, categorize, categoryCounts, type Category } from "../methods/categories";
import { methodScores, type MethodScores } from "../methods/method-scores";
import { METHOD_NAMES, type MethodName } from "../methods/methods";
import { checkRule, defaultRule, selectPrompts, type Rule, type Selection } from "../methods/select";
import { logShape, methodWarnings } from "../methods/warnings";
import { scoreRun, type ScoredRun } from "./score-run";

/** A method asked of a run that cannot give it (a run made from imported scores has no trajectories). */
export class MethodUnavailableError extends Error {}

export interface MethodChoice {
  method: MethodName;
  /** Default: the method's own (defaultRule). */
  rule?: Rule;
  /** RAND's seed (default 0). */
  seed?: number;
  /** LIM's threshold in force: LIM's default rule, and through its count the ranked methods' budget. */
  limThreshold?: number;
}

/** One method applied to a scored run: its scores, the rule in force and what it selects. */
export interface MethodRun {
  method: MethodName;
  rule: Rule;
  scores: MethodScores;
  selection: Selection;
}

const IMPORTED =
  "This run holds imported scores, not reward logs: there are no trajectories, so the categories and every method but lim are unavailable; ingest the run's logs to see them.";

/** A method's scores over a stored run. Imported-score runs give lim only (their published scores). */
export function runMethodScores(scored: ScoredRun, method: MethodName, seed?: number): MethodScores {
  if (scored.lim) return methodScores(scored.lim, method, { seed });
  if (method === "lim") return { method, score: Float64Array.from(scored.scores, (s) => s ?? NaN) };
  throw new MethodUnavailableError(`run "${scored.run.name}" holds imported scores, not reward logs: only lim applies, ${method} needs the logged run`);
}

/** The method's rule (its default unless given) and its selection: the one selection function, for every door. */
export function selectRun(scored: ScoredRun, choice: MethodChoice): MethodRun {
  const scores = runMethodScores(scored, choice.method, choice.seed);
  const limThreshold = choice.limThreshold ?? DEFAULT_THRESHOLD;
  const rule = choice.rule ?? (scored.lim ? defaultRule(choice.method, scored.lim, limThreshold) : { kind: "threshold", threshold: limThreshold });
  checkRule(choice.method, rule);
  return { method: choice.method, rule, scores, selection: selectPrompts(scores, rule) };
}

/** Prompts per trajectory category; all zero for imported scores (see runWarnings). */
export function runCategories(scored: ScoredRun): Record<Category, number> {
  if (scored.lim) return categoryCounts(categorize(scored.lim));
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}

/** What the run's log cannot support, for the methods shown, as sentences saying what would fix it. */
export function runWarnings(scored: ScoredRun, methods: readonly MethodName[] = METHOD_NAMES): string[] {
  if (!scored.lim) return [IMPORTED];
  return methodWarnings(scored.lim, scored.columns ? logShape(scored.columns) : null, methods);
}

/**
 * The warnings to print once a run is written (ingest): scored at the run's own parameters.
 * A run no parameter scores has nothing to add here (its scoring error is for `lim score`).
 */
export async function writtenRunWarnings(name: string): Promise<string[]> {
  try {
    return runWarnings(await scoreRun(name, {}, { withPrompts: false }));
  } catch {
    return [];
  }
}
