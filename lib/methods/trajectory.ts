import { EXCLUSION_CODES, type LimResult } from "../lim/types";

/**
 * One prompt's trajectory is filled[at .. at + K) of a LimResult (prompt-major, after the
 * one-pass back-fill). These helpers read one row each; every method is one pass of one of
 * them over the run.
 */

/**
 * Whether a prompt takes part in the methods: its trajectory is complete after back-fill.
 * LIM's "missing-epochs" exclusion excludes a prompt everywhere. LIM's "undefined-score"
 * exclusion (the average curve is 1 in every epoch, so LIM's denominator is zero) does not:
 * those trajectories are complete, every other formula is defined on them (they are all
 * ones: always solved), so the other methods score them.
 */
export function hasTrajectory(lim: LimResult, p: number): boolean {
  return lim.epochs > 0 && lim.exclusion[p] !== EXCLUSION_CODES["missing-epochs"];
}

export function isConstant(r: ArrayLike<number>, at: number, K: number): boolean {
  const first = r[at];
  for (let k = 1; k < K; k++) if (r[at + k] !== first) return false;
  return true;
}

export function mean(r: ArrayLike<number>, at: number, K: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) sum += r[at + k];
  return sum / K;
}

/**
 * Population standard deviation (divide by K, numpy's np.std). A constant trajectory is
 * exactly 0, not a rounding residue: flat prompts must tie, and tie-breaking is by log order.
 */
export function std(r: ArrayLike<number>, at: number, K: number): number {
  if (isConstant(r, at, K)) return 0;
  const m = mean(r, at, K);
  let ss = 0;
  for (let k = 0; k < K; k++) ss += (r[at + k] - m) ** 2;
  return Math.sqrt(ss / K);
}

/** Mean over epochs of r (1 - r): 0.25 for a prompt solved half the time in every epoch. */
export function learnability(r: ArrayLike<number>, at: number, K: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) sum += r[at + k] * (1 - r[at + k]);
  return sum / K;
}

/**
 * LINEAR (ours): R^2 of the least-squares line through (k, r_k), k = 1..K, when its slope is
 * positive; 0 when the slope is <= 0 or r is constant; NaN (undefined) when K < 3, where two
 * points always lie on a line. The slope's sign is that of sum (k - mean k) r_k, computed
 * without r's mean so a symmetric trajectory gives exactly 0.
 */
export function linearFit(r: ArrayLike<number>, at: number, K: number): number {
  if (K < 3) return NaN;
  if (isConstant(r, at, K)) return 0;
  const kMean = (K - 1) / 2;
  let sxy = 0;
  for (let k = 0; k < K; k++) sxy += (k - kMean) * r[at + k];
  if (sxy <= 0) return 0;
  const sxx = (K * (K * K - 1)) / 12;
  const m = mean(r, at, K);
  let syy = 0;
  for (let k = 0; k < K; k++) syy += (r[at + k] - m) ** 2;
  return Math.min(1, (sxy * sxy) / (sxx * syy));
}

/** A per-prompt column: f of each complete trajectory, NaN for prompts without one. */
export function perPrompt(lim: LimResult, f: (r: Float64Array, at: number, K: number) => number): Float64Array {
  const K = lim.epochs;
  const out = new Float64Array(lim.prompts).fill(NaN);
  for (let p = 0; p < lim.prompts; p++) if (hasTrajectory(lim, p)) out[p] = f(lim.filled, p * K, K);
  return out;
}
