import { encodeStepAggregates } from "../lim/step-aggregates";
import type { SampleRecord } from "../db/types";
import type { StepBatch } from "./record";

const EMPTY = new Uint8Array(0);

interface PromptAggregates {
  ordinal: number;
  /** Packed per-step aggregates, appended step by step (see add). */
  packed: Uint8Array;
  used: number;
  rollouts: number;
}

/**
 * Merges StepBatches (in step order) into per-prompt aggregates, packed as they arrive: a
 * LIMR-size run has ~170k (prompt, step) aggregates, ~80 MB as objects, ~7 MB packed. The
 * packed layout is a sequence of per-step records in step order, so appending each step's
 * encoding gives exactly encodeStepAggregates of all of them (run-aggregator.test.ts). A prompt's ordinal is its
 * order of first appearance in the log: by step, then by position within the step.
 */
export class RunAggregator {
  readonly prompts = new Map<string, PromptAggregates>();
  readonly promptsPerStep: number[] = [];
  rollouts = 0;
  bytes = 0;
  steps = 0;
  firstStep = 0;
  lastStep = 0;

  add(batch: StepBatch): void {
    for (const key of batch.firstSeenOrder) {
      if (!this.prompts.has(key)) this.prompts.set(key, { ordinal: this.prompts.size, packed: EMPTY, used: 0, rollouts: 0 });
    }
    for (const [key, agg] of batch.aggregates) {
      const p = this.prompts.get(key)!;
      const bytes = encodeStepAggregates([agg]);
      if (p.used + bytes.length > p.packed.length) {
        const grown = new Uint8Array(Math.max(64, 2 * (p.used + bytes.length)));
        grown.set(p.packed.subarray(0, p.used));
        p.packed = grown;
      }
      p.packed.set(bytes, p.used);
      p.used += bytes.length;
      p.rollouts += agg.rollouts;
    }
    if (this.steps === 0) this.firstStep = batch.step;
    this.lastStep = batch.step;
    this.steps++;
    this.rollouts += batch.rollouts;
    this.bytes += batch.bytes;
    this.promptsPerStep.push(batch.aggregates.size);
  }

  ordinalOf(prompt: string): number {
    return this.prompts.get(prompt)!.ordinal;
  }

  /** Samples in ordinal order, in batches, releasing each prompt's bytes as they go. */
  *samples(datasetRowIndex: (prompt: string) => number | null, batchSize = 1000): Generator<SampleRecord[]> {
    let batch: SampleRecord[] = [];
    for (const [prompt, p] of this.prompts) {
      batch.push({
        ordinal: p.ordinal,
        prompt,
        steps: p.packed.slice(0, p.used),
        rolloutCount: p.rollouts,
        publishedScore: null,
        datasetRowIndex: datasetRowIndex(prompt),
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
