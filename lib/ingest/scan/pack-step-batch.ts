import type { StepBlock } from "../../lim/run-columns";
import type { StepAggregate } from "../../lim/types";
import { isRecyclable } from "./example-buffers";
import { decodePromptKeys, encodePromptKeys, type PromptKeys } from "./prompt-keys";
import type { ExampleCandidate, StepBatch } from "./record";

/**
 * A StepBatch in columns, as ingest consumes it: a handful of typed arrays and the prompt
 * strings instead of a Map of objects and one object per candidate. A scan worker packs its
 * batch before posting it, so the main thread - which also decodes examples and writes the
 * database - deserialises a few arrays per step rather than thousands of small objects that
 * wait in its queue long enough to be promoted and collected as old garbage.
 */
export interface PackedStepBatch {
  step: number;
  file: string;
  bytes: number;
  rollouts: number;
  /** Prompt keys (trimmed texts, or ids) in order of first appearance in the step, as UTF-8: what ingest reads. */
  keys: PromptKeys;
  /**
   * The same keys as text, from readers on the main thread; a scan worker leaves them out
   * (see PromptKeys). promptsOf(batch) has them either way.
   */
  prompts?: string[];
  /** When keys are ids: the text first seen with prompts[i] (see StepBatch.texts). */
  texts?: string[];
  /** This step's aggregate of each prompt, column by column, aligned with `prompts`. */
  agg: StepColumns;
  /** Rollouts of prompts[i] in this step (agg.rollouts). */
  promptRollouts: Uint32Array;
  /** Example candidates in log order, column by column; `prompt` indexes `prompts`. */
  candidates: PackedCandidates;
  /** Raw JSON literals the candidates' rawStart/rawEnd point into (see StepBatch). */
  exampleBytes?: Uint8Array;
  /** Set when some rollout's success came from the log: the field it came from (see StepBatch). */
  successField?: string;
}

/**
 * Per-prompt aggregates of one step as columns: what a StepBlock holds, in the step's
 * first-seen order rather than by ordinal (the run's aggregator assigns ordinals).
 */
export type StepColumns = Omit<StepBlock, "step" | "ordinal">;

export interface PackedCandidates {
  length: number;
  prompt: Uint32Array;
  index: Uint32Array;
  reward: Float64Array;
  success: Uint8Array;
  responseLength: Float64Array;
  rawStart: Uint32Array;
  rawEnd: Uint32Array;
  /** Decoded responses, for readers that have text rather than raw literals. */
  response?: (string | undefined)[];
}

export function packStepBatch(b: StepBatch): PackedStepBatch {
  const prompts = b.firstSeenOrder;
  const P = prompts.length;
  const aggs = new Array<StepAggregate>(P);
  let entries = 0;
  const slot = new Map<string, number>();
  for (let i = 0; i < P; i++) {
    const agg = b.aggregates.get(prompts[i])!;
    aggs[i] = agg;
    entries += agg.rewards.length;
    slot.set(prompts[i], i);
  }
  const agg: StepColumns = {
    rollouts: new Uint32Array(P),
    rewardSum: new Float64Array(P),
    lengthSum: new Float64Array(P),
    rewardKinds: new Uint32Array(P),
    rewardValue: new Float64Array(entries),
    rewardCount: new Uint32Array(entries),
  };
  let e = 0;
  for (let i = 0; i < P; i++) {
    const a = aggs[i];
    agg.rollouts[i] = a.rollouts;
    agg.rewardSum[i] = a.rewardSum;
    agg.lengthSum[i] = a.responseLengthSum;
    agg.rewardKinds[i] = a.rewards.length;
    for (const r of a.rewards) {
      agg.rewardValue[e] = r.reward;
      agg.rewardCount[e++] = r.count;
    }
  }

  const n = b.examples.length;
  const c: PackedCandidates = {
    length: n,
    prompt: new Uint32Array(n),
    index: new Uint32Array(n),
    reward: new Float64Array(n),
    success: new Uint8Array(n),
    responseLength: new Float64Array(n),
    rawStart: new Uint32Array(n),
    rawEnd: new Uint32Array(n),
  };
  b.examples.forEach((e, i) => {
    c.prompt[i] = slot.get(e.prompt)!;
    c.index[i] = e.index;
    c.reward[i] = e.reward;
    c.success[i] = e.success ? 1 : 0;
    c.responseLength[i] = e.responseLength;
    c.rawStart[i] = e.rawStart ?? 0;
    c.rawEnd[i] = e.rawEnd ?? 0;
    if (e.response !== undefined) (c.response ??= new Array(n))[i] = e.response;
  });
  return { step: b.step, file: b.file, bytes: b.bytes, rollouts: b.rollouts, keys: encodePromptKeys(prompts), prompts, ...(b.texts && { texts: b.texts }), agg, promptRollouts: agg.rollouts, candidates: c, exampleBytes: b.exampleBytes, ...(b.successField && { successField: b.successField }) };
}

/** The batch's prompt keys as text (tests, tools: ingest reads the bytes). */
export function promptsOf(b: PackedStepBatch): string[] {
  return b.prompts ?? decodePromptKeys(b.keys);
}

/** What a scan worker posts: the keys as bytes only, every array transferred rather than copied. */
export function forTransfer(b: PackedStepBatch): { batch: PackedStepBatch; transfer: ArrayBuffer[] } {
  const { prompts: _, ...batch } = b;
  const c = b.candidates;
  const arrays = [b.keys.bytes, b.keys.ends, b.keys.hash, ...Object.values(b.agg), c.prompt, c.index, c.reward, c.success, c.responseLength, c.rawStart, c.rawEnd];
  if (b.exampleBytes) arrays.push(b.exampleBytes);
  const transfer = new Set<ArrayBuffer>();
  for (const a of arrays as ArrayBufferView[]) if (a.byteOffset === 0 && (a.byteLength === a.buffer.byteLength || isRecyclable(a.buffer))) transfer.add(a.buffer as ArrayBuffer);
  return { batch, transfer: [...transfer] };
}

/** A packed batch as the maps and objects of a StepBatch (tests, tools). */
export function unpackStepBatch(b: PackedStepBatch): StepBatch {
  const prompts = promptsOf(b);
  const c = b.candidates;
  const examples: ExampleCandidate[] = [];
  for (let i = 0; i < c.length; i++) {
    const e: ExampleCandidate = { prompt: prompts[c.prompt[i]], index: c.index[i], reward: c.reward[i], success: c.success[i] === 1, responseLength: c.responseLength[i] };
    if (c.response?.[i] !== undefined) e.response = c.response[i];
    else {
      e.rawStart = c.rawStart[i];
      e.rawEnd = c.rawEnd[i];
    }
    examples.push(e);
  }
  return {
    step: b.step,
    file: b.file,
    bytes: b.bytes,
    rollouts: b.rollouts,
    aggregates: unpackAggregates(b),
    examples,
    firstSeenOrder: prompts,
    ...(b.exampleBytes && { exampleBytes: b.exampleBytes }),
    ...(b.texts && { texts: b.texts }),
    ...(b.successField && { successField: b.successField }),
  };
}

/** The per-prompt aggregates of a packed batch, as objects (tests, tools). */
export function unpackAggregates(b: PackedStepBatch): Map<string, StepAggregate> {
  const out = new Map<string, StepAggregate>();
  const a = b.agg;
  let e = 0;
  promptsOf(b).forEach((p, i) => {
    const rewards = [];
    for (let k = 0; k < a.rewardKinds[i]; k++, e++) rewards.push({ reward: a.rewardValue[e], count: a.rewardCount[e] });
    out.set(p, { step: b.step, rollouts: a.rollouts[i], rewardSum: a.rewardSum[i], responseLengthSum: a.lengthSum[i], rewards });
  });
  return out;
}
