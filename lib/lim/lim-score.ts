import { completeEpochs, epochOfStep, isEpochMode, visitCount, visitRange, type VisitRange } from "./epochs";
import { packedEpochAccuracy, packedVisitAccuracy, packedVisitCount } from "./step-aggregates";
import { isSuccessRule, LOGGED_SUCCESS_REASON } from "./success-rule";
import type { Exclusion, LimParams, LimResult, ResolvedParams, SampleScore, StepCounts } from "./types";

export class LimParamError extends Error {}

/**
 * The checks that need no log: positive integers, a finite success reward, a known epoch rule,
 * and for a run whose success was logged per rollout, no success reward but its own.
 */
export function checkParams(params: LimParams): void {
  const { stepsPerEpoch, maxEpochs, successReward, epochMode, successRule, ingestSuccessReward } = params;
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
    throw new LimParamError(`steps per epoch must be a positive integer, got ${stepsPerEpoch}`);
  }
  if (!Number.isFinite(successReward)) throw new LimParamError(`success reward must be a finite number, got ${successReward}`);
  if (maxEpochs !== null && (!Number.isInteger(maxEpochs) || maxEpochs < 1)) {
    throw new LimParamError(`max epochs must be a positive integer, got ${maxEpochs}`);
  }
  if (epochMode !== undefined && !isEpochMode(epochMode)) throw new LimParamError(`epochs must be counted by "steps" or "visits", got "${epochMode}"`);
  if (successRule !== undefined && !isSuccessRule(successRule)) throw new LimParamError(`success must be decided by "equals", "at-least" or "logged", got "${successRule}"`);
  if (successRule === "logged" && ingestSuccessReward !== undefined && successReward !== ingestSuccessReward) {
    throw new LimParamError(`success reward ${successReward}: ${LOGGED_SUCCESS_REASON} (this run was read with success reward ${ingestSuccessReward})`);
  }
}

/**
 * Validates parameters and resolves the epoch window against what the log holds. By steps,
 * the window is every complete epoch and cannot go past them. By visits (`visits` must then
 * be given), it defaults to the visits 95% of prompts reached (VisitRange.usual) and may
 * reach the most visited prompt's count; prompts with fewer visits miss epochs and are
 * excluded as usual.
 */
export function resolveParams(params: LimParams, lastStep: number, visits?: VisitRange): ResolvedParams {
  checkParams(params);
  const { stepsPerEpoch, maxEpochs, successReward } = params;
  const epochMode = params.epochMode ?? "steps";
  if (epochMode === "visits") {
    if (!visits) throw new Error("resolveParams: epochs by visits need the run's visit counts");
    if (maxEpochs !== null && maxEpochs > visits.most) {
      throw new LimParamError(`max epochs ${maxEpochs} exceeds the ${visits.most} visits of the most visited prompt (epochs counted by visits)`);
    }
    return { stepsPerEpoch, successReward, maxEpochs: maxEpochs ?? visits.usual, epochMode };
  }
  const inLog = completeEpochs(lastStep, stepsPerEpoch);
  if (maxEpochs === null) return { stepsPerEpoch, successReward, maxEpochs: inLog, epochMode };
  if (maxEpochs > inLog) {
    throw new LimParamError(
      `max epochs ${maxEpochs} exceeds the ${inLog} complete epochs in the log (last step ${lastStep}, ${stepsPerEpoch} steps per epoch)`,
    );
  }
  return { stepsPerEpoch, successReward, maxEpochs, epochMode };
}

/**
 * Per-epoch accuracy of one prompt: successes / rollouts over the steps of each epoch
 * 1..epochs; null where the prompt had no rollout in that epoch.
 */
export function epochAccuracy(steps: readonly StepCounts[], stepsPerEpoch: number, epochs: number): (number | null)[] {
  const successes = new Array<number>(epochs).fill(0);
  const rollouts = new Array<number>(epochs).fill(0);
  for (const s of steps) {
    if (s.step < 1) continue;
    const k = epochOfStep(s.step, stepsPerEpoch);
    if (k > epochs) continue;
    successes[k - 1] += s.successes;
    rollouts[k - 1] += s.rollouts;
  }
  return rollouts.map((n, i) => (n > 0 ? successes[i] / n : null));
}

/**
 * The reference's gap filling: one left-to-right pass; an undefined epoch takes the next
 * epoch's value when that one is defined *at that moment*. So a run of two or more missing
 * epochs keeps all but its last undefined, and the last epoch is never filled.
 */
export function backfill(accuracy: readonly (number | null)[]): { filled: (number | null)[]; backfilled: boolean[] } {
  const filled = [...accuracy];
  const backfilled = filled.map(() => false);
  for (let k = 0; k < filled.length - 1; k++) {
    if (filled[k] === null && filled[k + 1] !== null) {
      filled[k] = filled[k + 1];
      backfilled[k] = true;
    }
  }
  return { filled, backfilled };
}

/** s = 1 - sum (r_k - avg_k)^2 / sum (1 - avg_k)^2; null when the denominator is zero. */
export function limScore(trajectory: readonly number[], average: readonly number[], denominator: number): number | null {
  if (denominator === 0) return null;
  let num = 0;
  for (let k = 0; k < average.length; k++) num += (trajectory[k] - average[k]) ** 2;
  return 1 - num / denominator;
}

/**
 * Per-epoch accuracy by visits: epoch k is the prompt's k-th step with rollouts (steps
 * ascending, any step number); null past its last visit.
 */
export function visitAccuracy(steps: readonly StepCounts[], epochs: number): (number | null)[] {
  const out = new Array<number | null>(epochs).fill(null);
  let k = 0;
  for (const s of steps) {
    if (k >= epochs) break;
    if (s.rollouts > 0) out[k++] = s.successes / s.rollouts;
  }
  return out;
}

/**
 * LIM for a whole run: trajectories, back-fill, exclusion of incomplete prompts, the average
 * curve over the kept prompts and each kept prompt's score. `lastStep` is the last step
 * number in the log; it fixes how many complete epochs there are when epochs go by steps.
 * The samples' successes are already counted (decodeStepCounts with the run's success rule).
 */
export function computeLim(samples: readonly (readonly StepCounts[])[], params: LimParams, lastStep: number): LimResult {
  const visits = params.epochMode === "visits" ? visitRange(samples.map(visitCount)) : undefined;
  const resolved = resolveParams(params, lastStep, visits);
  const K = resolved.maxEpochs;
  const accuracies = samples.map((steps) => (visits ? visitAccuracy(steps, K) : epochAccuracy(steps, resolved.stepsPerEpoch, K)));
  return scoreAccuracies(accuracies, resolved, lastStep, visits);
}

/** computeLim straight from stored aggregate bytes: the same result, without per-step objects. */
export function computeLimPacked(samples: readonly Uint8Array[], params: LimParams, lastStep: number): LimResult {
  const visits = params.epochMode === "visits" ? visitRange(samples.map(packedVisitCount)) : undefined;
  const resolved = resolveParams(params, lastStep, visits);
  const { successReward, stepsPerEpoch, maxEpochs: K } = resolved;
  const rule = params.successRule ?? "equals";
  const accuracies = samples.map((bytes) =>
    visits ? packedVisitAccuracy(bytes, successReward, K, rule) : packedEpochAccuracy(bytes, successReward, stepsPerEpoch, K, rule),
  );
  return scoreAccuracies(accuracies, resolved, lastStep, visits);
}

/** Everything after the per-epoch accuracies: back-fill, exclusions, average curve, scores. */
function scoreAccuracies(accuracies: (number | null)[][], resolved: ResolvedParams, lastStep: number, visits: VisitRange | undefined): LimResult {
  const K = resolved.maxEpochs;
  const rows: SampleScore[] = accuracies.map((accuracy) => {
    const { filled, backfilled } = backfill(accuracy);
    const missing: number[] = [];
    filled.forEach((v, i) => v === null && missing.push(i + 1));
    const exclusion: Exclusion | null = K === 0 || missing.length > 0 ? { kind: "missing-epochs", epochs: missing } : null;
    return { accuracy, filled, backfilled, score: null, exclusion };
  });

  const kept = rows.filter((r) => r.exclusion === null);
  const average = new Array<number>(kept.length > 0 ? K : 0).fill(0);
  for (const r of kept) for (let k = 0; k < K; k++) average[k] += r.filled[k] as number;
  for (let k = 0; k < average.length; k++) average[k] /= kept.length;

  let denominator = 0;
  for (const a of average) denominator += (1 - a) ** 2;

  for (const r of kept) {
    r.score = limScore(r.filled as number[], average, denominator);
    if (r.score === null) r.exclusion = { kind: "undefined-score" };
  }
  const epochsInLog = visits ? visits.usual : completeEpochs(lastStep, resolved.stepsPerEpoch);
  return { params: resolved, epochsInLog, visits: visits ?? null, average, denominator, samples: rows };
}
