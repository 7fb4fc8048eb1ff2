import type { SuccessRule } from "./types";

/**
 * How a run decides that a rollout succeeded, in one place: the count scoring makes from the
 * stored reward histogram, the words the CLI and the run page use, and the refusal of another
 * success reward for a run whose success was logged. Pure, like the rest of lib/lim.
 */

export const SUCCESS_RULES = ["equals", "at-least", "logged"] as const satisfies readonly SuccessRule[];

export function isSuccessRule(s: unknown): s is SuccessRule {
  return s === "equals" || s === "at-least" || s === "logged";
}

/**
 * Whether a reward from the stored histogram counts as a success. "logged" counts >= because
 * ingest filed logged successes at the success reward and logged failures below it, while a
 * rollout without a logged flag (a verl line without acc) kept its true reward and succeeds,
 * as verl decides, when it reaches the success reward.
 */
export function countsAsSuccess(reward: number, successReward: number, rule: SuccessRule = "equals"): boolean {
  // Exact equality for the reference, as it counts `reward == 1`.
  return rule === "equals" ? reward === successReward : reward >= successReward;
}

/** Why another success reward cannot be applied to a run whose success was logged. */
export const LOGGED_SUCCESS_REASON = "success is logged per rollout (verl's acc / --success-field); the success reward does not apply";

/** The rule in words: "success: reward = 1", "success: reward >= 1", "success: as logged (acc)". */
export function successRuleText(rule: SuccessRule, successReward: number, loggedField?: string | null): string {
  if (rule === "equals") return `success: reward = ${successReward}`;
  if (rule === "at-least") return `success: reward >= ${successReward}`;
  return `success: as logged${loggedField ? ` (${loggedField})` : " per rollout"}`;
}

/** One sentence on the rule, for a tooltip and the CLI. */
export function describeSuccessRule(rule: SuccessRule, successReward: number, loggedField?: string | null): string {
  if (rule === "equals") return `A rollout succeeds when its reward equals ${successReward} exactly (the reference counts reward == success reward).`;
  if (rule === "at-least") return `A rollout succeeds when its reward is at least ${successReward}; another success reward re-scores the run from its stored rewards.`;
  return `A rollout succeeds when the log says so${loggedField ? ` in "${loggedField}"` : ""}; ${LOGGED_SUCCESS_REASON}.`;
}

/**
 * What ingest says about a run whose success was logged. It is kept as a run note when the
 * user named the field (--success-field): the run stores no field name of its own, and
 * loggedSuccessField finds it there again; verl's own acc needs no note.
 */
export function loggedSuccessNote(field: string, successReward: number): string {
  return `${NOTE_START}${JSON.stringify(field)} (success reward ${successReward} as read at ingest; scoring counts the logged flags and cannot apply another success reward)`;
}

const NOTE_START = "success: as logged per rollout in field ";

/** The field a "logged" run's success came from: the one its note names, else verl's acc; null when unknown. */
export function loggedSuccessField(run: { format: string; notes: readonly string[] }): string | null {
  for (const n of run.notes) {
    if (!n.startsWith(NOTE_START)) continue;
    const m = /^("(?:[^"\\]|\\.)*")/.exec(n.slice(NOTE_START.length));
    if (m) return JSON.parse(m[1]) as string;
  }
  return run.format === "verl" ? "acc" : null;
}
