/**
 * Every method's scores for a run, computed once per scored run (and RAND's seed) with
 * lib/methods, in the browser as on the server: the table's score columns and the category
 * come from here, and switching method only picks one of them.
 */
import type { LimResult } from "../lim/types";
import { categorize, categoryCounts, type Category } from "../methods/categories";
import { methodScores, type MethodScores } from "../methods/method-scores";
import { METHOD_NAMES, type MethodName } from "../methods/methods";
import type { MethodSortKey, TableColumns } from "./table-order";

export interface MethodColumns {
  /** Null for a run made from published scores: LIM's scores only, no trajectories. */
  lim: LimResult | null;
  scores: Record<MethodName, MethodScores | null>;
  /** Per prompt, its CATEGORY_CODES code; null without trajectories. */
  category: Uint8Array | null;
  categoryCounts: Record<Category, number> | null;
}

/** `limScores`: LIM's score per prompt (NaN when excluded), what a run from published scores still has. */
export function methodColumns(lim: LimResult | null, limScores: Float64Array, seed = 0): MethodColumns {
  const scores = Object.fromEntries(METHOD_NAMES.map((m) => [m, lim ? methodScores(lim, m, { seed }) : null])) as Record<MethodName, MethodScores | null>;
  scores.lim = { method: "lim", score: limScores };
  const category = lim ? categorize(lim) : null;
  return { lim, scores, category, categoryCounts: category ? categoryCounts(category) : null };
}

/** The methods a run can show: all of them with trajectories, LIM alone without. */
export function availableMethods(mc: MethodColumns): MethodName[] {
  return METHOD_NAMES.filter((m) => mc.scores[m] !== null);
}

/** The table's sort keys for the other methods' columns. */
export function methodSortKeys(mc: MethodColumns): NonNullable<TableColumns["methodKeys"]> {
  const keys: NonNullable<TableColumns["methodKeys"]> = {};
  for (const m of ["variance", "learnability", "linear", "pass-rate", "rand"] as const satisfies readonly MethodSortKey[]) {
    const s = mc.scores[m];
    if (s) keys[m] = s.score;
  }
  if (mc.category) keys.category = mc.category;
  return keys;
}
