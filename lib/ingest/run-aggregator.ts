import type { SampleRecord } from "../db/types";
import type { PackedStepBatch } from "./scan/pack-step-batch";

const EMPTY = new Uint8Array(0);

interface PromptAggregates {
  ordinal: number;
  /** Packed per-step aggregates, appended step by step (see add). */
  packed: Uint8Array;
  used: number;
  rollouts: number;
  /** When keyed by id: the text first seen with it. */
  text?: string;
}

/**
 * Merges packed StepBatches (in step order) into per-prompt aggregates, kept packed: a
 * LIMR-size run has ~170k (prompt, step) aggregates, ~80 MB as objects, ~7 MB packed. The
 * layout is a sequence of per-step records in step order, so appending each step's encoding
 * gives exactly encodeStepAggregates of all of them (run-aggregator.test.ts). A prompt's
 * ordinal is its order of first appearance in the log: by step, then within the step.
 */
export class RunAggregator {
  readonly prompts = new Map<string, PromptAggregates>();
  readonly promptsPerStep: number[] = [];
  rollouts = 0;
  bytes = 0;
  steps = 0;
  firstStep = 0;
  lastStep = 0;
  /** A batch keyed its prompts by id (StepBatch.texts): the reader honoured --id-field. */
  keyedById = false;
  /** The field some rollout's success was logged in (StepBatch.successField); null: success came from rewards. */
  successField: string | null = null;

  add(batch: PackedStepBatch): void {
    const { prompts, aggBytes, aggOffsets } = batch;
    if (batch.texts) this.keyedById = true;
    if (batch.successField) this.successField ??= batch.successField;
    for (let i = 0; i < prompts.length; i++) {
      let p = this.prompts.get(prompts[i]);
      if (p === undefined) {
        p = { ordinal: this.prompts.size, packed: EMPTY, used: 0, rollouts: 0 };
        if (batch.texts) p.text = batch.texts[i];
        this.prompts.set(prompts[i], p);
      }
      const n = aggOffsets[i + 1] - aggOffsets[i];
      if (p.used + n > p.packed.length) {
        // x1.5: a prompt's bytes grow a record per step; doubling left ~2x slack on 8.5k prompts.
        const grown = new Uint8Array(Math.max(128, Math.ceil(1.5 * (p.used + n))));
        grown.set(p.packed.subarray(0, p.used));
        p.packed = grown;
      }
      p.packed.set(aggBytes.subarray(aggOffsets[i], aggOffsets[i + 1]), p.used);
      p.used += n;
      p.rollouts += batch.promptRollouts[i];
    }
    if (this.steps === 0) this.firstStep = batch.step;
    this.lastStep = batch.step;
    this.steps++;
    this.rollouts += batch.rollouts;
    this.bytes += batch.bytes;
    this.promptsPerStep.push(prompts.length);
  }

  ordinalOf(prompt: string): number {
    return this.prompts.get(prompt)!.ordinal;
  }

  /** The prompt keys in ordinal order and, aligned, the text to show for each (the key itself unless keyed by id). */
  keysAndTexts(): { keys: string[]; texts: string[] } {
    const keys: string[] = [];
    const texts: string[] = [];
    for (const [key, p] of this.prompts) {
      keys.push(key);
      texts.push(p.text ?? key);
    }
    return { keys, texts };
  }

  /**
   * Samples in ordinal order, in batches, releasing each prompt's bytes as they go. A
   * sample's prompt is promptOf(key, ordinal) when given (the dataset's question the key was
   * matched to), else the key.
   */
  *samples(datasetRowIndex: (key: string, ordinal: number) => number | null, batchSize = 1000, promptOf?: (key: string, ordinal: number) => string): Generator<SampleRecord[]> {
    let batch: SampleRecord[] = [];
    for (const [key, p] of this.prompts) {
      batch.push({
        ordinal: p.ordinal,
        prompt: promptOf ? promptOf(key, p.ordinal) : key,
        steps: p.packed.slice(0, p.used),
        rolloutCount: p.rollouts,
        publishedScore: null,
        datasetRowIndex: datasetRowIndex(key, p.ordinal),
      });
      p.packed = EMPTY;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}
