import { completeEpochs, epochOfStep } from "./epochs";
import { packedEpochAccuracy } from "./step-aggregates";
import type { Exclusion, LimParams, LimResult, SampleScore, StepCounts } from "./types";

export class LimParamError extends Error {}

/** Validates parameters and resolves the epoch window against what the log holds. */
export function resolveParams(params: LimParams, lastStep: number): LimParams & { maxEpochs: number } {
  const { stepsPerEpoch, maxEpochs, successReward } = params;
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) {
    throw new LimParamError(`steps per epoch must be a positive integer, got ${stepsPerEpoch}`);
  }
  if (!Number.isFinite(successReward)) throw new LimParamError(`success reward must be a finite number, got ${successReward}`);
  const inLog = completeEpochs(lastStep, stepsPerEpoch);
  if (maxEpochs === null) return { stepsPerEpoch, successReward, maxEpochs: inLog };
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) {
    throw new LimParamError(`max epochs must be a positive integer, got ${maxEpochs}`);
  }
  if (maxEpochs > inLog) {
    throw new LimParamError(
      `max epochs ${maxEpochs} exceeds the ${inLog} complete epochs in the log (last step ${lastStep}, ${stepsPerEpoch} steps per epoch)`,
    );
  }
  return { stepsPerEpoch, successReward, maxEpochs };
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
 * LIM for a whole run: trajectories, back-fill, exclusion of incomplete prompts, the average
 * curve over the kept prompts and each kept prompt's score. `lastStep` is the last step
 * number in the log; it fixes how many complete epochs there are.
 */
export function computeLim(samples: readonly (readonly StepCounts[])[], params: LimParams, lastStep: number): LimResult {
  const resolved = resolveParams(params, lastStep);
  const accuracies = samples.map((steps) => epochAccuracy(steps, resolved.stepsPerEpoch, resolved.maxEpochs));
  return scoreAccuracies(accuracies, resolved, lastStep);
}

/** computeLim straight from stored aggregate bytes: the same result, without per-step objects. */
export function computeLimPacked(samples: readonly Uint8Array[], params: LimParams, lastStep: number): LimResult {
  const resolved = resolveParams(params, lastStep);
  const accuracies = samples.map((bytes) => packedEpochAccuracy(bytes, resolved.successReward, resolved.stepsPerEpoch, resolved.maxEpochs));
  return scoreAccuracies(accuracies, resolved, lastStep);
}

/** Everything after the per-epoch accuracies: back-fill, exclusions, average curve, scores. */
function scoreAccuracies(accuracies: (number | null)[][], resolved: LimParams & { maxEpochs: number }, lastStep: number): LimResult {
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
  return { params: resolved, epochsInLog: completeEpochs(lastStep, resolved.stepsPerEpoch), average, denominator, samples: rows };
}
