import type { LimResult } from "../lim/types";
import { hasTrajectory, std } from "./trajectory";

/** Trajectory categories, mutually exclusive, in the order they are tried (and shown). */
export const CATEGORIES = ["never-solved", "always-solved", "learned", "forgotten", "unstable", "steady", "excluded"] as const;
export type Category = (typeof CATEGORIES)[number];
/** A prompt's category code is its index in CATEGORIES. */
export const CATEGORY_CODES = Object.fromEntries(CATEGORIES.map((c, i) => [c, i])) as { [C in Category]: number };

/** What a change must reach to count (learned, forgotten, unstable). */
export const CHANGE = 0.25;
/**
 * Means of accuracies carry rounding (0.7 - 0.45 is 0.24999999999999994 in doubles), so a
 * difference that is exactly 0.25 in exact arithmetic is compared with this much slack.
 */
const SLACK = 1e-9;

/**
 * Per prompt, its category code, first rule that matches: every epoch 0 (never-solved), every
 * epoch 1 (always-solved), last - first >= 0.25 (learned), first - last >= 0.25 (forgotten),
 * std >= 0.25 (unstable), else steady; first and last are the means of the first and last
 * ceil(K / 3) epochs. Prompts without a trajectory (a missing epoch) are "excluded". LIM's
 * undefined-score prompts have one (all ones) and are always-solved.
 */
export function categorize(lim: LimResult): Uint8Array {
  const K = lim.epochs;
  const t = Math.ceil(K / 3);
  const out = new Uint8Array(lim.prompts).fill(CATEGORY_CODES.excluded);
  const r = lim.filled;
  for (let p = 0; p < lim.prompts; p++) {
    if (!hasTrajectory(lim, p)) continue;
    const at = p * K;
    let zeros = 0;
    let ones = 0;
    let first = 0;
    let last = 0;
    for (let k = 0; k < K; k++) {
      const v = r[at + k];
      if (v === 0) zeros++;
      else if (v === 1) ones++;
      if (k < t) first += v;
      if (k >= K - t) last += v;
    }
    const change = (last - first) / t;
    let c: number;
    if (zeros === K) c = CATEGORY_CODES["never-solved"];
    else if (ones === K) c = CATEGORY_CODES["always-solved"];
    else if (change >= CHANGE - SLACK) c = CATEGORY_CODES.learned;
    else if (-change >= CHANGE - SLACK) c = CATEGORY_CODES.forgotten;
    else if (std(r, at, K) >= CHANGE - SLACK) c = CATEGORY_CODES.unstable;
    else c = CATEGORY_CODES.steady;
    out[p] = c;
  }
  return out;
}

/** Prompts per category over the run, every category present (0 when empty). */
export function categoryCounts(codes: Uint8Array): Record<Category, number> {
  const n = new Array<number>(CATEGORIES.length).fill(0);
  for (let p = 0; p < codes.length; p++) n[codes[p]]++;
  return Object.fromEntries(CATEGORIES.map((c, i) => [c, n[i]])) as Record<Category, number>;
}
