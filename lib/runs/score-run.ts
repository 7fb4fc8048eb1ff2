import { getRun, loadSamples } from "../db";
import type { RunRecord } from "../db/types";
import { computeLimPacked } from "../lim/lim-score";
import type { EpochMode, Exclusion, LimParams, LimResult, ResolvedParams } from "../lim/types";

/** Parameters a user may override per view or command; missing ones come from the run. */
export interface ScoreOverrides {
  stepsPerEpoch?: number;
  maxEpochs?: number | null;
  successReward?: number;
  /** Epochs by steps per epoch or by each prompt's visits; default: the run's own rule. */
  epochMode?: EpochMode;
}

export interface ScoredRun {
  run: RunRecord;
  params: ResolvedParams;
  prompts: string[];
  /** Rollouts logged per prompt, in ordinal order. */
  rollouts: number[];
  /** Per prompt, the dataset row it was joined to (its first), or null. */
  datasetRows: (number | null)[];
  /** Per prompt, in ordinal order. Null when excluded. */
  scores: (number | null)[];
  exclusions: (Exclusion | null)[];
  /** Full LIM result for logged runs; null for runs made from published scores. */
  lim: LimResult | null;
}

export class RunNotFoundError extends Error {
  constructor(name: string) {
    super(`no run named "${name}" (see \`lim runs\`)`);
  }
}

/**
 * The parameters in force: the overrides, else the run's own. Success is counted by the run's
 * rule; a run whose success was logged keeps the success reward it was read with (another is
 * refused by lib/lim's parameter check).
 */
export function resolveOverrides(run: RunRecord, o: ScoreOverrides): LimParams & { epochMode: EpochMode } {
  return {
    stepsPerEpoch: o.stepsPerEpoch ?? run.stepsPerEpoch,
    maxEpochs: o.maxEpochs ?? null,
    successReward: o.successReward ?? run.successReward,
    epochMode: o.epochMode ?? run.epochMode,
    successRule: run.successRule,
    ingestSuccessReward: run.successReward,
  };
}

/** Scores every prompt of a run from its stored aggregates: parameters never need a re-ingest. */
export async function scoreRun(name: string, overrides: ScoreOverrides = {}): Promise<ScoredRun> {
  const run = await getRun(name);
  if (!run) throw new RunNotFoundError(name);
  const samples = await loadSamples(run.id);
  const prompts = samples.map((s) => s.prompt);
  const rollouts = samples.map((s) => s.rolloutCount);
  const datasetRows = samples.map((s) => s.datasetRowIndex);
  if (run.kind === "scores") {
    const scores = samples.map((s) => s.publishedScore);
    const { stepsPerEpoch, successReward, epochMode } = resolveOverrides(run, overrides);
    return {
      run,
      params: { stepsPerEpoch, maxEpochs: 0, successReward, epochMode }, // the order the JSON summary has always had
      prompts,
      rollouts,
      datasetRows,
      scores,
      exclusions: scores.map(() => null),
      lim: null,
    };
  }
  const params = resolveOverrides(run, overrides);
  const lim = computeLimPacked(
    samples.map((s) => s.steps),
    params,
    run.lastStep,
  );
  return {
    run,
    params: lim.params,
    prompts,
    rollouts,
    datasetRows,
    scores: lim.samples.map((s) => s.score),
    exclusions: lim.samples.map((s) => s.exclusion),
    lim,
  };
}
