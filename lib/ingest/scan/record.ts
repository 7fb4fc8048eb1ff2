import { addReward } from "../../lim/step-aggregates";
import { countsAsSuccess } from "../../lim/success-rule";
import type { StepAggregate } from "../../lim/types";
import { takeExampleBuffer } from "./example-buffers";
import { trimPrompt } from "./trim-prompt";

/**
 * What every format reader produces: one StepBatch per training step, in step order.
 * Ingest merges these into per-prompt aggregates; it never sees a single rollout, which is
 * what lets a reader skip response text it does not need.
 */
export interface StepBatch {
  step: number;
  /** File the step came from (for messages). */
  file: string;
  /** Bytes read for this step. */
  bytes: number;
  rollouts: number;
  /** Per trimmed prompt: this step's aggregate. */
  aggregates: Map<string, StepAggregate>;
  /** Candidate example rollouts in log order (see ExampleCandidate). */
  examples: ExampleCandidate[];
  /**
   * Raw JSON string literals of candidates that carry rawStart/rawEnd instead of text. A
   * byte scanner copies them here (one transferable buffer per step) and they are decoded
   * only if picked: decoding every candidate in a worker made millions of short-lived
   * strings that cost more in garbage collection than the scan itself.
   */
  exampleBytes?: Uint8Array;
  /** Prompt keys (trimmed texts, or ids) in order of first appearance in this step. */
  firstSeenOrder: string[];
  /**
   * When prompts are keyed by id: the trimmed text first seen with each key of
   * firstSeenOrder (what the run shows for the id until the dataset names it).
   */
  texts?: string[];
  /** Set when some rollout's success came from the log (BatchOptions.successField): that field. */
  successField?: string;
}

/**
 * A rollout that may be kept as an example. Per prompt and step a reader offers the first
 * success, the first failure and the first K rollouts (K = keepExamples): whatever the
 * per-epoch choice turns out to be (a success and a failure when both exist, else the
 * first K), it is among these.
 */
export interface ExampleCandidate {
  prompt: string;
  /** Element index within the step, to keep log order. */
  index: number;
  reward: number;
  success: boolean;
  responseLength: number;
  /** The decoded response, or absent when it is the raw literal at exampleBytes[rawStart, rawEnd). */
  response?: string;
  rawStart?: number;
  rawEnd?: number;
}

/** One rollout as a simple reader sees it. */
export interface RolloutRecord {
  prompt: string;
  /**
   * A stable prompt id, when the user identifies prompts by id (--id-field): rollouts with
   * the same id are one prompt whatever their text.
   */
  id?: string;
  /** The response text, or a function that decodes it only when it is kept. */
  response: string | (() => string);
  reward: number;
  responseLength: number;
  /**
   * Only when the log says outright whether this rollout succeeded (verl's `acc`,
   * --success-field); absent, the reader's rule decides from the reward (BatchOptions.successRule).
   * See StepBatchBuilder.add for how each is stored.
   */
  success?: boolean;
}

export interface BatchOptions {
  step: number;
  file: string;
  successReward: number;
  keepExamples: number;
  /**
   * How the reader decides success from a reward when the log does not say: "equals" (the
   * reference, OpenRLHF; the default) or "at-least" (verl without acc, TRL, NeMo-RL, generic).
   */
  successRule?: "equals" | "at-least";
  /** The field a logged success comes from (verl's "acc", --success-field), reported in StepBatch.successField. */
  successField?: string;
}

interface PromptState {
  agg: StepAggregate;
  kept: number;
  hasSuccess: boolean;
  hasFailure: boolean;
}

/** Builds a StepBatch rollout by rollout; shared by the byte scanner and simple readers. */
export class StepBatchBuilder {
  private readonly states = new Map<string, PromptState>();
  private readonly aggregates = new Map<string, StepAggregate>();
  private readonly examples: ExampleCandidate[] = [];
  private readonly order: string[] = [];
  private rollouts = 0;
  private successLogged = false;
  /** Candidates whose rawStart/rawEnd still point into the source buffer (see finish). */
  private rawCandidates: ExampleCandidate[] = [];

  constructor(private readonly o: BatchOptions) {}

  /** The state for an already trimmed prompt, created on first sight. */
  stateFor(key: string): PromptState {
    let s = this.states.get(key);
    if (s === undefined) {
      const agg: StepAggregate = { step: this.o.step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
      s = { agg, kept: 0, hasSuccess: false, hasFailure: false };
      this.states.set(key, s);
      this.aggregates.set(key, agg);
      this.order.push(key);
    }
    return s;
  }

  /** Success by the reader's rule, for a rollout whose log does not say. */
  succeeds(reward: number): boolean {
    return countsAsSuccess(reward, this.o.successReward, this.o.successRule);
  }

  /**
   * Counts a rollout; returns true when its response should be decoded and kept.
   *
   * Without `logged`, the histogram gets the true reward and scoring recounts successes from
   * it for whatever success reward is asked (the run's rule: equality or >=). A logged
   * success (verl's `acc`, --success-field) is not a function of the reward, so the rollout is
   * filed under countedReward (the success reward when it succeeded, a value below it when it
   * failed) while rewardSum keeps the true reward; the run is then stored with the "logged"
   * rule, scored by >= this success reward, and refuses any other.
   */
  add(s: PromptState, reward: number, responseLength: number, logged?: boolean): boolean {
    this.rollouts++;
    const success = logged ?? this.succeeds(reward);
    const counted = logged === undefined ? reward : countedReward(reward, logged, this.o.successReward);
    if (logged !== undefined) this.successLogged = true;
    if (counted === reward) addReward(s.agg, reward, responseLength);
    else {
      const sum = s.agg.rewardSum;
      addReward(s.agg, counted, responseLength);
      s.agg.rewardSum = sum + reward;
    }
    const k = this.o.keepExamples;
    if (k <= 0) return false;
    if (s.kept < k) return true;
    return success ? !s.hasSuccess : !s.hasFailure;
  }

  /** Keeps a candidate with its decoded response (`success`: the logged flag given to add, else the rule's). */
  keep(key: string, s: PromptState, index: number, reward: number, responseLength: number, response: string, success = this.succeeds(reward)): void {
    this.examples.push({ prompt: key, index, reward, success: this.mark(s, success), responseLength, response });
  }

  /** Keeps a candidate whose response is the JSON string literal src[start, end) (quotes included), undecoded. */
  keepRaw(key: string, s: PromptState, index: number, reward: number, responseLength: number, start: number, end: number): void {
    const c: ExampleCandidate = { prompt: key, index, reward, success: this.mark(s, this.succeeds(reward)), responseLength, rawStart: start, rawEnd: end };
    this.examples.push(c);
    this.rawCandidates.push(c);
  }

  private mark(s: PromptState, success: boolean): boolean {
    s.kept++;
    if (success) s.hasSuccess = true;
    else s.hasFailure = true;
    return success;
  }

  /** The batch; `src` is the buffer keepRaw's offsets point into (still valid: the scan just ended). */
  finish(bytes: number, src?: Buffer): StepBatch {
    // Gathered into a recycled buffer with its own ArrayBuffer, transferable to the main thread.
    let exampleBytes: Buffer | undefined;
    if (src && this.rawCandidates.length > 0) {
      let size = 0;
      for (const c of this.rawCandidates) size += c.rawEnd! - c.rawStart!;
      exampleBytes = takeExampleBuffer(size);
      let at = 0;
      for (const c of this.rawCandidates) {
        const n = c.rawEnd! - c.rawStart!;
        exampleBytes.set(src.subarray(c.rawStart!, c.rawEnd!), at);
        c.rawStart = at;
        c.rawEnd = at + n;
        at += n;
      }
    }
    return {
      exampleBytes,
      step: this.o.step,
      file: this.o.file,
      bytes,
      rollouts: this.rollouts,
      aggregates: this.aggregates,
      examples: this.examples,
      firstSeenOrder: this.order,
      ...(this.successLogged && { successField: this.o.successField ?? "the log's success flag" }),
    };
  }
}

/**
 * A StepBatch from plain records: the whole job of a simple reader once it has records.
 * Records with an id are keyed by it (and their text rides along in `texts`); a reader gives
 * every record an id or none, so ids and texts never share a batch.
 */
export function batchFromRecords(records: Iterable<RolloutRecord>, o: BatchOptions & { bytes: number }): StepBatch {
  const b = new StepBatchBuilder(o);
  let texts: Map<string, string> | null = null;
  let index = 0;
  for (const r of records) {
    let key: string;
    if (r.id === undefined) key = trimPrompt(r.prompt);
    else {
      key = r.id;
      texts ??= new Map();
      if (!texts.has(key)) texts.set(key, trimPrompt(r.prompt));
    }
    const s = b.stateFor(key);
    if (b.add(s, r.reward, r.responseLength, r.success)) {
      const text = typeof r.response === "function" ? r.response() : r.response;
      b.keep(key, s, index, r.reward, r.responseLength, text, r.success ?? b.succeeds(r.reward));
    }
    index++;
  }
  const batch = b.finish(o.bytes);
  if (texts) batch.texts = batch.firstSeenOrder.map((k) => texts.get(k)!);
  return batch;
}

/**
 * The histogram value of a rollout whose success was logged, so that scoring's count for the
 * "logged" rule (reward >= the success reward) agrees with the log: the success reward when it
 * succeeded; when it failed, its reward if below the success reward, else the largest double below.
 */
export function countedReward(reward: number, success: boolean, successReward: number): number {
  if (success) return successReward;
  return reward < successReward ? reward : nextBelow(successReward);
}

/** The largest double below x (x finite). */
function nextBelow(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] += x > 0 ? -1n : 1n;
  return f[0];
}
