import { decodeStepAggregates, encodeStepAggregates } from "../../lim/step-aggregates";
import type { StepAggregate } from "../../lim/types";
import type { StepBatch } from "./record";

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
  /** Prompt keys (trimmed texts, or ids) in order of first appearance in the step. */
  prompts: string[];
  /** When keys are ids: the text first seen with prompts[i] (see StepBatch.texts). */
  texts?: string[];
  /** encodeStepAggregates([this step's aggregate]) of prompts[i] is aggBytes[aggOffsets[i], aggOffsets[i + 1]). */
  aggBytes: Uint8Array;
  aggOffsets: Uint32Array;
  /** Rollouts of prompts[i] in this step. */
  promptRollouts: Uint32Array;
  /** Example candidates in log order, column by column; `prompt` indexes `prompts`. */
  candidates: PackedCandidates;
  /** Raw JSON literals the candidates' rawStart/rawEnd point into (see StepBatch). */
  exampleBytes?: Uint8Array;
  /** Set when some rollout's success came from the log: the field it came from (see StepBatch). */
  successField?: string;
}

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
  const parts: Uint8Array[] = [];
  const aggOffsets = new Uint32Array(prompts.length + 1);
  const promptRollouts = new Uint32Array(prompts.length);
  let size = 0;
  const slot = new Map<string, number>();
  prompts.forEach((p, i) => {
    const agg = b.aggregates.get(p)!;
    const bytes = encodeStepAggregates([agg]);
    promptRollouts[i] = agg.rollouts;
    parts.push(bytes);
    aggOffsets[i] = size;
    size += bytes.length;
    slot.set(p, i);
  });
  aggOffsets[prompts.length] = size;
  const aggBytes = new Uint8Array(size);
  parts.forEach((bytes, i) => aggBytes.set(bytes, aggOffsets[i]));

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
  return { step: b.step, file: b.file, bytes: b.bytes, rollouts: b.rollouts, prompts, ...(b.texts && { texts: b.texts }), aggBytes, aggOffsets, promptRollouts, candidates: c, exampleBytes: b.exampleBytes, ...(b.successField && { successField: b.successField }) };
}

/** The per-prompt aggregates of a packed batch, as objects (tests, tools). */
export function unpackAggregates(b: PackedStepBatch): Map<string, StepAggregate> {
  const out = new Map<string, StepAggregate>();
  b.prompts.forEach((p, i) => out.set(p, decodeStepAggregates(b.aggBytes.subarray(b.aggOffsets[i], b.aggOffsets[i + 1]))[0]));
  return out;
}
