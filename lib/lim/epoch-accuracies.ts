import { successesOf, type RunColumns } from "./run-columns";
import type { SuccessRule } from "./types";

/**
 * Sums are kept for this many (prompt, epoch) cells at a time, ~1 MB: a step's records name
 * prompts all over the run, so summing into the whole run's prompt-major cells put each record
 * on a cache line of its own (two 48 MB arrays at a million prompts and 6 epochs, ~0.4 s of
 * the ~0.6 s this took). A slice of prompts at a time stays in cache, and its accuracies are
 * written once, in order.
 */
const CELLS_PER_SLICE = 65_536;

/**
 * Per (prompt, epoch) accuracy, prompt-major (index p * epochs + k - 1); NaN where the prompt
 * had no rollout in the epoch. By steps, step N is in epoch floor((N - 1) / stepsPerEpoch) + 1;
 * by visits (stepsPerEpoch null), a prompt's k-th step with rollouts is its epoch k.
 */
export function epochAccuracies(c: RunColumns, successReward: number, rule: SuccessRule, stepsPerEpoch: number | null, epochs: number): Float64Array {
  if (c.counted) throw new Error("columns counted for a prompt's page (countedForPages) have no reward histograms to score from");
  const atLeast = rule !== "equals";
  return stepsPerEpoch === null ? byVisits(c, successReward, atLeast, epochs) : bySteps(c, successReward, atLeast, stepsPerEpoch, epochs);
}

function byVisits(c: RunColumns, successReward: number, atLeast: boolean, K: number): Float64Array {
  const P = c.promptCount;
  const out = new Float64Array(P * K).fill(NaN);
  const visits = new Uint32Array(P);
  for (let r = 0; r < c.ordinal.length; r++) {
    const n = c.rollouts[r];
    if (n === 0) continue;
    const p = c.ordinal[r];
    const k = ++visits[p];
    if (k <= K) out[p * K + k - 1] = successesOf(c, r, successReward, atLeast) / n;
  }
  return out;
}

/**
 * One slice of prompts at a time: every block's records for the slice (ordinals ascend in a
 * block, so each block keeps a cursor), summed per (prompt, epoch), then divided.
 */
function bySteps(c: RunColumns, successReward: number, atLeast: boolean, stepsPerEpoch: number, K: number): Float64Array {
  const P = c.promptCount;
  const { ordinal, rollouts, entryStart, rewardValue, rewardCount, stepStart, stepNumber } = c;
  const B = stepNumber.length;
  const epochOf = new Int32Array(B); // 0-based; -1: not in the window
  for (let b = 0; b < B; b++) {
    const k = stepNumber[b] < 1 ? -1 : Math.floor((stepNumber[b] - 1) / stepsPerEpoch);
    epochOf[b] = k < K ? k : -1;
  }
  const cursor = stepStart.slice(0, B);
  const slice = Math.max(1, Math.floor(CELLS_PER_SLICE / Math.max(1, K)));
  const successes = new Float64Array(slice * K);
  const trials = new Float64Array(slice * K);
  const out = new Float64Array(P * K);
  for (let p0 = 0; p0 < P; p0 += slice) {
    const p1 = Math.min(P, p0 + slice);
    const cells = (p1 - p0) * K;
    successes.fill(0, 0, cells);
    trials.fill(0, 0, cells);
    for (let b = 0; b < B; b++) {
      const k = epochOf[b];
      let r = cursor[b];
      const end = stepStart[b + 1];
      if (k < 0) continue;
      for (; r < end; r++) {
        const p = ordinal[r];
        if (p >= p1) break;
        let n = 0;
        for (let e = entryStart[r], last = entryStart[r + 1]; e < last; e++) {
          const v = rewardValue[e];
          if (atLeast ? v >= successReward : v === successReward) n += rewardCount[e];
        }
        const at = (p - p0) * K + k;
        trials[at] += rollouts[r];
        successes[at] += n;
      }
      cursor[b] = r;
    }
    for (let i = 0, o = p0 * K; i < cells; i++, o++) out[o] = trials[i] > 0 ? successes[i] / trials[i] : NaN;
  }
  return out;
}
