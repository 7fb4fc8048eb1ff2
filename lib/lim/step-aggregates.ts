import type { StepAggregate, StepCounts, SuccessRule } from "./types";

/**
 * A prompt's per-step aggregates as bytes: what the log scanners hand over per (prompt, step)
 * (lib/ingest), and how runs written before step blocks stored a prompt (one blob per
 * prompt, read once to convert them). Storage and scoring use run-columns.ts.
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
