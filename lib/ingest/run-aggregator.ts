import { encodeStepAggregates } from "../lim/step-aggregates";
import type { StepAggregate } from "../lim/types";
import type { SampleRecord } from "../db/types";
import type { StepBatch } from "./record";

interface PromptAggregates {
  ordinal: number;
  steps: StepAggregate[];
  rollouts: number;
}

/**
 * Merges StepBatches (in step order) into per-prompt aggregates. A prompt's ordinal is its
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
      if (!this.prompts.has(key)) this.prompts.set(key, { ordinal: this.prompts.size, steps: [], rollouts: 0 });
    }
    for (const [key, agg] of batch.aggregates) {
      const p = this.prompts.get(key)!;
      p.steps.push(agg);
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

  /** Samples in ordinal order, in batches, releasing each prompt's aggregates once packed. */
  *samples(datasetRowIndex: (prompt: string) => number | null, batchSize = 1000): Generator<SampleRecord[]> {
    let batch: SampleRecord[] = [];
    for (const [prompt, p] of this.prompts) {
      batch.push({
        ordinal: p.ordinal,
        prompt,
        steps: encodeStepAggregates(p.steps),
        rolloutCount: p.rollouts,
        publishedScore: null,
        datasetRowIndex: datasetRowIndex(prompt),
      });
      p.steps = [];
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}
