/**
 * Types shared by every part of LIM scoring. Pure data: no I/O, no React, so the same
 * code runs in the CLI, the server and the browser.
 */

/** One step's aggregate for one prompt, for the success reward in force. */
export interface StepCounts {
  step: number;
  rollouts: number;
  /** Rollouts whose reward equals the success reward. */
  successes: number;
  rewardSum: number;
  responseLengthSum: number;
}

/** One distinct reward value seen at a step and how many rollouts got it. */
export interface RewardCount {
  reward: number;
  count: number;
}

/** What ingest stores for one prompt and one step: enough to recount successes for any success reward. */
export interface StepAggregate {
  step: number;
  rollouts: number;
  rewardSum: number;
  responseLengthSum: number;
  rewards: RewardCount[];
}

export interface LimParams {
  stepsPerEpoch: number;
  /** Epochs 1..maxEpochs count; null means every complete epoch in the log. */
  maxEpochs: number | null;
  successReward: number;
}

export type Exclusion =
  /** Some epoch stayed undefined after the one-pass back-fill. */
  | { kind: "missing-epochs"; epochs: number[] }
  /** The average curve is 1 in every epoch: the score's denominator is zero. */
  | { kind: "undefined-score" };

export interface SampleScore {
  /** Accuracy per epoch as logged, null where the prompt had no rollout. */
  accuracy: (number | null)[];
  /** Accuracy after the one-pass back-fill; null where it stayed undefined. */
  filled: (number | null)[];
  /** True where `filled` was copied from the next epoch. */
  backfilled: boolean[];
  /** LIM score, null when excluded. */
  score: number | null;
  exclusion: Exclusion | null;
}

export interface LimResult {
  params: LimParams & { maxEpochs: number };
  /** Complete epochs found in the log (floor(last step / steps per epoch)). */
  epochsInLog: number;
  /** Model average accuracy per epoch over the scored prompts (empty when none). */
  average: number[];
  /** sum_k (1 - avg_k)^2; zero means every score is undefined. */
  denominator: number;
  samples: SampleScore[];
}
