import { completeEpochs, epochOfStep, isEpochMode, visitCount, visitRange, type VisitRange } from "./epochs";
import { epochAccuracies } from "./epoch-accuracies";
import { visitCounts, type RunColumns } from "./run-columns";
import { isSuccessRule, LOGGED_SUCCESS_REASON } from "./success-rule";
import { EXCLUSION_CODES, type Exclusion, type LimParams, type LimResult, type ResolvedParams, type SampleScore, type StepCounts } from "./types";

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
  if (maxEpochs !== null && (!Number.isInteger(maxEpochs) || maxEpochs < 1 || maxEpochs > MAX_EPOCHS)) {
    throw new LimParamError(`max epochs must be an integer from 1 to ${MAX_EPOCHS.toLocaleString("en-US")}, got ${maxEpochs}`);
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
/** The most epochs a curve is scored over: far past any training run (LIMR: 21), far short of a stray step number. */
export const MAX_EPOCHS = 10_000;

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
  if (maxEpochs === null && inLog > MAX_EPOCHS) {
    // A stray step file (step_1000000000.json beside steps 1-4) would size every curve by it.
    throw new LimParamError(
      `the log's last step is ${lastStep.toLocaleString("en-US")}, which makes ${inLog.toLocaleString("en-US")} epochs of ${stepsPerEpoch} steps: ` +
        `more than the ${MAX_EPOCHS.toLocaleString("en-US")} a curve is scored over. A stray or misnamed step file? Ingest the log without it, or pass --max-epochs K`,
    );
  }
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
 * LIM for a whole run from per-prompt step counts: the plain statement of the method, kept as
 * the reference the columnar path (computeLimColumns) is tested against. `lastStep` is the
 * last step number in the log; it fixes how many complete epochs there are by steps.
 */
export function computeLim(samples: readonly (readonly StepCounts[])[], params: LimParams, lastStep: number): LimResult {
  const visits = params.epochMode === "visits" ? visitRange(samples.map(visitCount)) : undefined;
  const resolved = resolveParams(params, lastStep, visits);
  const K = resolved.maxEpochs;
  const accuracy = new Float64Array(samples.length * K);
  samples.forEach((steps, p) => {
    const row = visits ? visitAccuracy(steps, K) : epochAccuracy(steps, resolved.stepsPerEpoch, K);
    for (let k = 0; k < K; k++) accuracy[p * K + k] = row[k] ?? NaN;
  });
  return scoreAccuracies(accuracy, samples.length, resolved, lastStep, visits);
}

/** LIM for a whole run from its columns: one pass for the accuracies, then the shared steps. */
export function computeLimColumns(cols: RunColumns, params: LimParams, lastStep: number): LimResult {
  const visits = params.epochMode === "visits" ? visitRange(visitCounts(cols)) : undefined;
  const resolved = resolveParams(params, lastStep, visits);
  const rule = params.successRule ?? "equals";
  const accuracy = epochAccuracies(cols, resolved.successReward, rule, visits ? null : resolved.stepsPerEpoch, resolved.maxEpochs);
  return scoreAccuracies(accuracy, cols.promptCount, resolved, lastStep, visits);
}

/** Everything after the per-epoch accuracies: back-fill, exclusions, average curve, scores. */
function scoreAccuracies(accuracy: Float64Array, P: number, resolved: ResolvedParams, lastStep: number, visits: VisitRange | undefined): LimResult {
  const K = resolved.maxEpochs;
  const filled = accuracy.slice();
  const backfilled = new Uint8Array(P * K);
  const exclusion = new Uint8Array(P);
  const average = new Array<number>(K).fill(0);
  let kept = 0;
  for (let p = 0; p < P; p++) {
    const at = p * K;
    // The reference's one left-to-right pass: epoch k takes k + 1's value as it stands then.
    for (let k = 0; k < K - 1; k++) {
      if (Number.isNaN(filled[at + k]) && !Number.isNaN(filled[at + k + 1])) {
        filled[at + k] = filled[at + k + 1];
        backfilled[at + k] = 1;
      }
    }
    let complete = K > 0;
    for (let k = 0; k < K && complete; k++) if (Number.isNaN(filled[at + k])) complete = false;
    if (!complete) {
      exclusion[p] = EXCLUSION_CODES["missing-epochs"];
      continue;
    }
    kept++;
    for (let k = 0; k < K; k++) average[k] += filled[at + k];
  }
  if (kept === 0) average.length = 0;
  for (let k = 0; k < average.length; k++) average[k] /= kept;

  let denominator = 0;
  for (const a of average) denominator += (1 - a) ** 2;

  const scores = new Float64Array(P).fill(NaN);
  for (let p = 0; p < P; p++) {
    if (exclusion[p] !== 0) continue;
    if (denominator === 0) {
      exclusion[p] = EXCLUSION_CODES["undefined-score"];
      continue;
    }
    let num = 0;
    for (let k = 0; k < K; k++) num += (filled[p * K + k] - average[k]) ** 2;
    scores[p] = 1 - num / denominator;
  }
  const epochsInLog = visits ? visits.usual : completeEpochs(lastStep, resolved.stepsPerEpoch);
  return { params: resolved, epochsInLog, visits: visits ?? null, average, denominator, prompts: P, epochs: K, accuracy, filled, backfilled, scores, exclusion };
}

/** A value of a LimResult column as pages and JSON show it: null for undefined. */
export function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** The epochs (1-based) a prompt is still missing after back-fill. */
export function missingEpochs(lim: LimResult, p: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < lim.epochs; k++) if (Number.isNaN(lim.filled[p * lim.epochs + k])) out.push(k + 1);
  return out;
}

/** Why prompt p is not scored, as an object; null when it is scored. */
export function exclusionOf(lim: LimResult, p: number): Exclusion | null {
  const code = lim.exclusion[p];
  if (code === EXCLUSION_CODES["missing-epochs"]) return { kind: "missing-epochs", epochs: missingEpochs(lim, p) };
  if (code === EXCLUSION_CODES["undefined-score"]) return { kind: "undefined-score" };
  return null;
}

/** One prompt's part of a LimResult as objects (the prompt page, tests). */
export function sampleScore(lim: LimResult, p: number): SampleScore {
  const K = lim.epochs;
  const row = (col: Float64Array) => Array.from(col.subarray(p * K, p * K + K), orNull);
  return {
    accuracy: row(lim.accuracy),
    filled: row(lim.filled),
    backfilled: Array.from(lim.backfilled.subarray(p * K, p * K + K), (b) => b === 1),
    score: orNull(lim.scores[p]),
    exclusion: exclusionOf(lim, p),
  };
}
