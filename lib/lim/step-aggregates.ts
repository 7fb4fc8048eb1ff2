import { epochOfStep } from "./epochs";
import type { StepAggregate, StepCounts, SuccessRule } from "./types";

/**
 * Packs a prompt's per-step aggregates into bytes for storage, one blob per prompt.
 * Reading 100k prompts' trajectories must take milliseconds, which one row per
 * (prompt, step) through an ORM cannot; the blob keeps every per-step number anyway.
 *
 * Layout, little-endian, steps ascending:
 *   per step: step u32 | rollouts u32 | rewardSum f64 | responseLengthSum f64 | n u32
 *             then n x (reward f64 | count u32)
 */
const HEADER_BYTES = 28;
const REWARD_BYTES = 12;

export function encodeStepAggregates(steps: readonly StepAggregate[]): Uint8Array {
  const sorted = [...steps].sort((a, b) => a.step - b.step);
  let size = 0;
  for (const s of sorted) size += HEADER_BYTES + REWARD_BYTES * s.rewards.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const s of sorted) {
    view.setUint32(at, s.step, true);
    view.setUint32(at + 4, s.rollouts, true);
    view.setFloat64(at + 8, s.rewardSum, true);
    view.setFloat64(at + 16, s.responseLengthSum, true);
    view.setUint32(at + 24, s.rewards.length, true);
    at += HEADER_BYTES;
    for (const r of s.rewards) {
      view.setFloat64(at, r.reward, true);
      view.setUint32(at + 8, r.count, true);
      at += REWARD_BYTES;
    }
  }
  return bytes;
}

export function decodeStepAggregates(bytes: Uint8Array): StepAggregate[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: StepAggregate[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const n = view.getUint32(at + 24, true);
    const rewards = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = at + HEADER_BYTES + i * REWARD_BYTES;
      rewards[i] = { reward: view.getFloat64(p, true), count: view.getUint32(p + 8, true) };
    }
    out.push({
      step: view.getUint32(at, true),
      rollouts: view.getUint32(at + 4, true),
      rewardSum: view.getFloat64(at + 8, true),
      responseLengthSum: view.getFloat64(at + 16, true),
      rewards,
    });
    at += HEADER_BYTES + n * REWARD_BYTES;
  }
  return out;
}

/**
 * Successes among one step's n histogram entries starting at byte `at`: reward === the success
 * reward ("equals", the reference's `reward == 1`), else reward >= it ("at-least", and
 * "logged", whose histogram ingest filed for that count: see countsAsSuccess in success-rule.ts).
 */
function stepSuccesses(view: DataView, at: number, n: number, successReward: number, atLeast: boolean): number {
  let successes = 0;
  for (let i = 0; i < n; i++) {
    const p = at + HEADER_BYTES + i * REWARD_BYTES;
    const reward = view.getFloat64(p, true);
    if (atLeast ? reward >= successReward : reward === successReward) successes += view.getUint32(p + 8, true);
  }
  return successes;
}

/** Per-step counts for one success reward and rule, straight from the packed bytes. */
export function decodeStepCounts(bytes: Uint8Array, successReward: number, rule: SuccessRule = "equals"): StepCounts[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: StepCounts[] = [];
  const atLeast = rule !== "equals";
  let at = 0;
  while (at < bytes.byteLength) {
    const n = view.getUint32(at + 24, true);
    const successes = stepSuccesses(view, at, n, successReward, atLeast);
    out.push({
      step: view.getUint32(at, true),
      rollouts: view.getUint32(at + 4, true),
      successes,
      rewardSum: view.getFloat64(at + 8, true),
      responseLengthSum: view.getFloat64(at + 16, true),
    });
    at += HEADER_BYTES + n * REWARD_BYTES;
  }
  return out;
}

/** Adds one rollout's reward to a step aggregate being built. */
export function addReward(agg: StepAggregate, reward: number, responseLength: number): void {
  agg.rollouts += 1;
  agg.rewardSum += reward;
  agg.responseLengthSum += responseLength;
  for (const r of agg.rewards) {
    if (r.reward === reward) {
      r.count += 1;
      return;
    }
  }
  agg.rewards.push({ reward, count: 1 });
}

/** Merges `from` into `into` (same prompt, same step, e.g. read by two workers). */
export function mergeStepAggregate(into: StepAggregate, from: StepAggregate): void {
  into.rollouts += from.rollouts;
  into.rewardSum += from.rewardSum;
  into.responseLengthSum += from.responseLengthSum;
  for (const r of from.rewards) {
    const same = into.rewards.find((x) => x.reward === r.reward);
    if (same) same.count += r.count;
    else into.rewards.push({ ...r });
  }
}

/**
 * Per-epoch accuracy (epochs 1..epochs) straight from the packed bytes: the scoring hot path,
 * equal to epochAccuracy(decodeStepCounts(bytes, successReward, rule), stepsPerEpoch, epochs).
 */
export function packedEpochAccuracy(bytes: Uint8Array, successReward: number, stepsPerEpoch: number, epochs: number, rule: SuccessRule = "equals"): (number | null)[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const successes = new Float64Array(epochs);
  const rollouts = new Float64Array(epochs);
  const atLeast = rule !== "equals";
  let at = 0;
  while (at < bytes.byteLength) {
    const n = view.getUint32(at + 24, true);
    const step = view.getUint32(at, true);
    const k = epochOfStep(step, stepsPerEpoch);
    if (step >= 1 && k <= epochs) {
      rollouts[k - 1] += view.getUint32(at + 4, true);
      successes[k - 1] += stepSuccesses(view, at, n, successReward, atLeast);
    }
    at += HEADER_BYTES + n * REWARD_BYTES;
  }
  const out = new Array<number | null>(epochs);
  for (let k = 0; k < epochs; k++) out[k] = rollouts[k] > 0 ? successes[k] / rollouts[k] : null;
  return out;
}

/** A prompt's visits (steps with rollouts) straight from the packed bytes. */
export function packedVisitCount(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let visits = 0;
  for (let at = 0; at < bytes.byteLength; at += HEADER_BYTES + view.getUint32(at + 24, true) * REWARD_BYTES) {
    if (view.getUint32(at + 4, true) > 0) visits++;
  }
  return visits;
}

/**
 * Per-epoch accuracy when epochs are counted by visits: epoch k is the prompt's k-th step with
 * rollouts (steps are stored ascending). Equal to visitAccuracy(decodeStepCounts(bytes, successReward, rule), epochs).
 */
export function packedVisitAccuracy(bytes: Uint8Array, successReward: number, epochs: number, rule: SuccessRule = "equals"): (number | null)[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number | null>(epochs).fill(null);
  const atLeast = rule !== "equals";
  let k = 0;
  for (let at = 0; at < bytes.byteLength && k < epochs; ) {
    const n = view.getUint32(at + 24, true);
    const rollouts = view.getUint32(at + 4, true);
    if (rollouts > 0) out[k++] = stepSuccesses(view, at, n, successReward, atLeast) / rollouts;
    at += HEADER_BYTES + n * REWARD_BYTES;
  }
  return out;
}
