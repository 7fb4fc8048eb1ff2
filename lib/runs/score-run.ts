import { getRun, loadRunColumns, loadSamples } from "../db";
import type { RunRecord } from "../db/types";
import { computeLimColumns, exclusionOf } from "../lim/lim-score";
import { rolloutTotals, type RunColumns } from "../lim/run-columns";
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
  /** Per prompt, its stored text; empty when scored without prompts (see scoreRun). */
  prompts: string[];
  /** Rollouts logged per prompt, in ordinal order. */
  rollouts: number[];
  /** Per prompt, the dataset row it was joined to (its first), or null; empty when scored without prompts. */
  datasetRows: (number | null)[];
  /** Per prompt, in ordinal order. Null when excluded. */
  scores: (number | null)[];
  /** Per prompt, why it is not scored (EXCLUSION_CODES; 0: scored). */
  exclusion: Uint8Array;
  /** Full LIM result for logged runs; null for runs made from published scores. */
  lim: LimResult | null;
  /** The run's trajectories, for a prompt's own numbers; null for runs made from published scores. */
  columns: RunColumns | null;
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

/** Why prompt i of a scored run is not scored, as an object; null when scored. */
export function exclusionAt(scored: ScoredRun, i: number): Exclusion | null {
  return scored.lim ? exclusionOf(scored.lim, i) : null;
}

export interface ScoreOptions {
  /** Also load the per-step reward and length sums (a prompt's page). */
  withSums?: boolean;
  /**
   * Load each prompt's text and dataset row (default true). A summary needs neither: without
   * them a million-prompt run scores from its step blocks alone.
   */
  withPrompts?: boolean;
}

/** Scores every prompt of a run from its stored step blocks: parameters never need a re-ingest. */
export async function scoreRun(name: string, overrides: ScoreOverrides = {}, opts: ScoreOptions = {}): Promise<ScoredRun> {
  const run = await getRun(name);
  if (!run) throw new RunNotFoundError(name);
  if (run.kind !== "scores" && opts.withPrompts === false) return scoreColumns(run, overrides, opts, [], [], run.sampleCount);
  const samples = await loadSamples(run.id);
  const prompts = samples.map((s) => s.prompt);
  const datasetRows = samples.map((s) => s.datasetRowIndex);
  if (run.kind === "scores") {
    const scores = samples.map((s) => s.publishedScore);
    const { stepsPerEpoch, successReward, epochMode } = resolveOverrides(run, overrides);
    return {
      run,
      params: { stepsPerEpoch, maxEpochs: 0, successReward, epochMode }, // the order the JSON summary has always had
      prompts,
      rollouts: samples.map(() => 0),
      datasetRows,
      scores,
      exclusion: new Uint8Array(samples.length),
      lim: null,
      columns: null,
    };
  }
  return scoreColumns(run, overrides, opts, prompts, datasetRows, samples.length);
}

async function scoreColumns(run: RunRecord, overrides: ScoreOverrides, opts: ScoreOptions, prompts: string[], datasetRows: (number | null)[], promptCount: number): Promise<ScoredRun> {
  const params = resolveOverrides(run, overrides);
  const columns = await loadRunColumns(run.id, promptCount, { withSums: opts.withSums });
  const lim = computeLimColumns(columns, params, run.lastStep);
  return {
    run,
    params: lim.params,
    prompts,
    rollouts: Array.from(rolloutTotals(columns)),
    datasetRows,
    scores: Array.from(lim.scores, (s) => (Number.isNaN(s) ? null : s)),
    exclusion: lim.exclusion,
    lim,
    columns,
  };
}
