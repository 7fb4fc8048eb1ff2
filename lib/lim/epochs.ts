import type { EpochMode, StepCounts } from "./types";

export const EPOCH_MODES = ["steps", "visits"] as const satisfies readonly EpochMode[];

export function isEpochMode(s: unknown): s is EpochMode {
  return s === "steps" || s === "visits";
}

/** Step N (1-based) belongs to epoch floor((N - 1) / stepsPerEpoch) + 1, as in the reference. */
export function epochOfStep(step: number, stepsPerEpoch: number): number {
  return Math.floor((step - 1) / stepsPerEpoch) + 1;
}

/** Complete epochs in a log whose last step is `lastStep`: a trailing partial epoch does not count. */
export function completeEpochs(lastStep: number, stepsPerEpoch: number): number {
  return Math.max(0, Math.floor(lastStep / stepsPerEpoch));
}

/**
 * How many visits the prompts of a run had, where a visit is a step with rollouts of that
 * prompt (prompts never visited do not count). `usual` is the default window when epochs are
 * counted by visits: the visits at least 95% of prompts reached. The fewest would let one
 * prompt visited once shrink every curve to one epoch; the most would exclude everyone short
 * of the one oversampled prompt. Prompts below `usual` miss epochs and are excluded as the
 * reference excludes prompts with gaps. `most` bounds the window.
 */
export interface VisitRange {
  fewest: number;
  usual: number;
  most: number;
}

/** Share of prompts that must have reached the default window's visit count. */
export const USUAL_VISITS_SHARE = 0.95;

export function visitRange(counts: Iterable<number>): VisitRange {
  const visited: number[] = [];
  for (const n of counts) if (n > 0) visited.push(n);
  if (visited.length === 0) return { fewest: 0, usual: 0, most: 0 };
  visited.sort((a, b) => a - b);
  // The largest count that at least 95% of prompts reached: the 5th percentile from below.
  const usual = visited[Math.floor((1 - USUAL_VISITS_SHARE) * visited.length)];
  return { fewest: visited[0], usual, most: visited[visited.length - 1] };
}

/** A prompt's visits: its steps with rollouts (any step number; the order of steps is the order of visits). */
export function visitCount(steps: readonly StepCounts[]): number {
  let n = 0;
  for (const s of steps) if (s.rollouts > 0) n++;
  return n;
}

/**
 * The epoch each of a prompt's steps (ascending) falls in under a rule: by step number, or by
 * visit (its k-th step with rollouts is epoch k). 0: in no epoch (step 0 under "steps", or a
 * step without rollouts under "visits").
 */
export function epochsOfSteps(steps: readonly { step: number; rollouts: number }[], mode: EpochMode, stepsPerEpoch: number): number[] {
  if (mode === "steps") return steps.map((s) => (s.step < 1 ? 0 : epochOfStep(s.step, stepsPerEpoch)));
  let k = 0;
  return steps.map((s) => (s.rollouts > 0 ? ++k : 0));
}

/** One line saying how epochs are counted, for the CLI, the run header and the prompt page. */
export function describeEpochRule(mode: EpochMode, stepsPerEpoch: number, visits: VisitRange | null): string {
  if (mode === "steps") return `Epochs by steps (the reference): step N is in epoch floor((N - 1) / ${stepsPerEpoch}) + 1.`;
  const seen = visits ? ` ${visits.usual} visit${visits.usual === 1 ? "" : "s"} reached by ${USUAL_VISITS_SHARE * 100}% of prompts (fewest ${visits.fewest}, most ${visits.most}).` : "";
  return `Epochs by visits: a prompt's k-th step with rollouts is its epoch k, whatever the step numbers.${seen}`;
}
