import { countSelected, DEFAULT_THRESHOLD, isSelected } from "../lim/select";
import type { LimResult } from "../lim/types";
import { REGION_CODES, type Region } from "./cartography";
import type { MethodScores } from "./method-scores";
import type { MethodName } from "./methods";
import { definedValues, selectKth } from "./order-statistics";

/**
 * How a method's scores become a selection. threshold: score >= T, inclusive (isSelected,
 * LIM's rule); top: the N highest scores, ties at the boundary to the prompt seen first in the
 * log; between: low < score < high (pass-rate's default, 0 < score < 1: sometimes solved);
 * region: cartography's regions.
 */
export type Rule =
  | { kind: "threshold"; threshold: number }
  | { kind: "top"; n: number }
  | { kind: "between"; low: number; high: number }
  | { kind: "region"; region: Region };

export interface Selection {
  /** Per prompt (log order): 1 when selected. */
  mask: Uint8Array;
  count: number;
}

export class MethodRuleError extends Error {}

/** LINEAR's default threshold (ours): a fit this good is "steady improvement". */
export const LINEAR_THRESHOLD = 0.7;

/** Refuses a rule the method cannot take: cartography selects by region only, and only it does. */
export function checkRule(method: MethodName, rule: Rule): void {
  if (rule.kind === "region" && method !== "cartography") throw new MethodRuleError(`a region selects for cartography only, not for ${method}`);
  if (rule.kind !== "region" && method === "cartography") throw new MethodRuleError("cartography selects by region (ambiguous, easy-to-learn or hard-to-learn), not by a score");
  if (rule.kind === "top" && !(Number.isInteger(rule.n) && rule.n >= 0)) throw new MethodRuleError(`top N needs a whole number N >= 0, got ${rule.n}`);
}

/**
 * The budget ranked methods default to: how many prompts LIM selects at its threshold in
 * force, so that methods are compared at equal size (as LIMR compared with RAND).
 */
export function limBudget(lim: LimResult, limThreshold = DEFAULT_THRESHOLD): number {
  return countSelected(lim.scores, limThreshold);
}

/** Each method's rule when none is given. `limThreshold` is LIM's threshold in force. */
export function defaultRule(method: MethodName, lim: LimResult, limThreshold = DEFAULT_THRESHOLD): Rule {
  switch (method) {
    case "lim":
      return { kind: "threshold", threshold: limThreshold };
    case "linear":
      return { kind: "threshold", threshold: LINEAR_THRESHOLD };
    case "pass-rate":
      return { kind: "between", low: 0, high: 1 };
    case "cartography":
      return { kind: "region", region: "ambiguous" };
    case "variance":
    case "learnability":
    case "rand":
      return { kind: "top", n: limBudget(lim, limThreshold) };
  }
}

/** The one selection function: every door (CLI count, export, compare, the page) calls it. */
export function selectPrompts(s: MethodScores, rule: Rule): Selection {
  checkRule(s.method, rule);
  const score = s.score;
  if (rule.kind === "top") return topN(score, rule.n);
  const mask = new Uint8Array(score.length);
  let count = 0;
  const keep = (p: number) => {
    mask[p] = 1;
    count++;
  };
  if (rule.kind === "region") {
    const code = REGION_CODES[rule.region];
    for (let p = 0; p < score.length; p++) if (s.map!.region[p] === code) keep(p);
  } else if (rule.kind === "threshold") {
    for (let p = 0; p < score.length; p++) if (isSelected(score[p], rule.threshold)) keep(p);
  } else {
    for (let p = 0; p < score.length; p++) if (score[p] > rule.low && score[p] < rule.high) keep(p);
  }
  return { mask, count };
}

/**
 * The N highest scores (NaN never), ties at the boundary to lower ordinals: the N-th largest
 * value v in linear time (no sort), then everything above v, then prompts scoring exactly v
 * in log order until N are kept.
 */
function topN(score: Float64Array, n: number): Selection {
  const mask = new Uint8Array(score.length);
  const values = definedValues(score);
  const take = Math.min(n, values.length);
  if (take === 0) return { mask, count: 0 };
  const v = selectKth(values, values.length - take);
  let above = 0;
  for (let p = 0; p < score.length; p++) if (score[p] > v) above++;
  let ties = take - above;
  for (let p = 0; p < score.length; p++) {
    if (score[p] > v) mask[p] = 1;
    else if (score[p] === v && ties > 0) {
      mask[p] = 1;
      ties--;
    }
  }
  return { mask, count: take };
}

/** The selected prompts' ordinals, ascending. */
export function selectedOrdinals(sel: Selection): Uint32Array {
  const out = new Uint32Array(sel.count);
  let i = 0;
  for (let p = 0; p < sel.mask.length; p++) if (sel.mask[p]) out[i++] = p;
  return out;
}

/** A rule in words, as the CLI prints it. */
export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case "threshold":
      return `score >= ${rule.threshold}`;
    case "top":
      return `top ${rule.n}`;
    case "between":
      return `${rule.low} < score < ${rule.high}`;
    case "region":
      return `region ${rule.region}`;
  }
}
