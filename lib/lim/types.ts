/**
 * Types shared by every part of LIM scoring. Pure data: no I/O, no React, so the same
 * code runs in the CLI, the server and the browser.
 */

/** One step's aggregate for one prompt, for the success reward in force. */
export interface StepCounts {
  step: number;
  rollouts: number;
  /** Rollouts that succeeded under the run's success rule. */
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

/**
 * How a prompt's rollouts are grouped into epochs. "steps": step N is in epoch
 * floor((N - 1) / stepsPerEpoch) + 1, the reference. "visits": a prompt's k-th step with
 * rollouts is its epoch k, whatever the step numbers (robust to oversampling and uneven batches).
 */
export type EpochMode = "steps" | "visits";

/**
 * How a rollout counts as a success (stored per run, see lib/db RunRecord.successRule).
 * "equals": reward === the success reward (the reference, OpenRLHF). "at-least": reward >= it
 * (verl without acc, TRL, NeMo-RL, generic logs). "logged": the log said so per rollout
 * (verl's acc, --success-field); ingest filed each such rollout's reward in the histogram at
 * the success reward when it succeeded and below it when it failed (countedReward in
 * lib/ingest/scan/record.ts), so scoring counts reward >= the success reward read at ingest, which
 * cannot change. Rollouts of such a run without a logged flag (a verl line without acc) keep
 * their true reward and count as "at-least".
 */
export type SuccessRule = "equals" | "at-least" | "logged";

export interface LimParams {
  stepsPerEpoch: number;
  /** Epochs 1..maxEpochs count; null means every complete epoch in the log. */
  maxEpochs: number | null;
  successReward: number;
  /** Default "steps". */
  epochMode?: EpochMode;
  /** Default "equals" (the reference). */
  successRule?: SuccessRule;
  /**
   * "logged" only: the success reward the run was read with. Successes were filed against it
   * at ingest, so any other successReward is refused (LimParamError).
   */
  ingestSuccessReward?: number;
}

/** Parameters with the epoch window and the epoch rule decided. */
export interface ResolvedParams {
  stepsPerEpoch: number;
  successReward: number;
  maxEpochs: number;
  epochMode: EpochMode;
}

export type Exclusion =
  /** Some epoch stayed undefined after the one-pass back-fill. */
  | { kind: "missing-epochs"; epochs: number[] }
  /** The average curve is 1 in every epoch: the score's denominator is zero. */
  | { kind: "undefined-score" };

/** Why a prompt is not scored, one byte per prompt: 0 scored, then the Exclusion kinds. */
export const EXCLUSION_CODES = { none: 0, "missing-epochs": 1, "undefined-score": 2 } as const;
export type ExclusionCode = (typeof EXCLUSION_CODES)[keyof typeof EXCLUSION_CODES];

/** One prompt's part of a LimResult, as objects (sampleScore in lim-score.ts). */
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

/**
 * LIM for a whole run, as columns: per (prompt, epoch) values are prompt-major
 * (index p * epochs + k), NaN standing for "undefined" (JSON and the pages show null).
 */
export interface LimResult {
  params: ResolvedParams;
  /**
   * Complete epochs found in the log: floor(last step / steps per epoch) by steps; by visits,
   * the visits 95% of prompts reached (see VisitRange).
   */
  epochsInLog: number;
  /** By visits: the fewest, usual (reached by 95%) and most visits of any prompt (the window may reach `most`); null by steps. */
  visits: { fewest: number; usual: number; most: number } | null;
  /** Model average accuracy per epoch over the scored prompts (empty when none). */
  average: number[];
  /** sum_k (1 - avg_k)^2; zero means every score is undefined. */
  denominator: number;
  /** Prompts, and epochs in the window (params.maxEpochs). */
  prompts: number;
  epochs: number;
  /** Accuracy as logged; NaN where the prompt had no rollout in the epoch. */
  accuracy: Float64Array;
  /** After the one-pass back-fill; NaN where it stayed undefined. */
  filled: Float64Array;
  /** 1 where `filled` was copied from the next epoch. */
  backfilled: Uint8Array;
  /** Per prompt: the LIM score, NaN when excluded. */
  scores: Float64Array;
  /** Per prompt: EXCLUSION_CODES. */
  exclusion: Uint8Array;
}
