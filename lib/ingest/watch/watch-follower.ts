import type { NewRun, RunWriter } from "../../db/types";
import { epochOfStep } from "../../lim/epochs";
import { loggedSuccessNote } from "../../lim/success-rule";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { EpochExamplePicker, keepsExamplesIn, writePickedExamples, type PickedExamples } from "../pick-examples";
import { recycleExampleBytes } from "../formats/read-openrlhf";
import { RunAggregator } from "../run-aggregator";
import type { ScanPool } from "../scan/scan-pool";
import type { WatchJoin } from "./watch-join";

/** Where a follower writes: the new run's writer (first read) or an append to it. */
export type FollowSink = RunWriter;

export interface FollowerOptions {
  /** Fixed for the whole watch: kept examples are chosen per epoch. Null: no examples. */
  stepsPerEpoch: number | null;
  keepExamples: number;
  join: WatchJoin;
  pool: ScanPool | null;
  /** The reader's rule (FormatReader.successRule) and success reward: the run turns "logged" once a rollout's success is. */
  successRule: "equals" | "at-least";
  successReward: number;
  /** --success-field, when the user named one. */
  namedSuccessField?: string;
  say?: (m: string) => void;
}

/**
 * What a watched run needs to remember between appends: each prompt's ordinal (a step block
 * names prompts by ordinal; new prompts get the next ordinals, in order of first appearance,
 * as a one-shot ingest numbers them), the run's counts, and
 * the example picker of the epoch in progress (its held picks are written when the epoch
 * ends, or when the watch stops).
 */
export class RunFollower {
  /** Every prompt of the watch so far, with its ordinal, and the run's counts. */
  readonly agg = new RunAggregator();
  readonly stepsRead = new Set<number>();
  readonly warnings: string[] = [];
  /** What the watch decided for the user (an inferred epoch length); the join adds its own. */
  readonly notes: string[] = [];
  firstStep = 0;
  lastStep = 0;
  /** The field a rollout's success was first logged in (StepBatch.successField), as a one-shot ingest records it. */
  successField: string | null = null;
  private readonly picker: EpochExamplePicker | null;

  /** The epoch length examples are chosen by; null: no examples. */
  get stepsPerEpoch(): number | null {
    return this.picker ? this.o.stepsPerEpoch : null;
  }

  constructor(private readonly o: FollowerOptions) {
    this.picker = o.keepExamples > 0 && o.stepsPerEpoch ? new EpochExamplePicker(o.keepExamples) : null;
  }

  /**
   * Reads `batches` (in step order, every step after lastStep) into `sink`: new prompts as
   * samples, every step as its block, examples as they are decided.
   * Returns the run fields as they now stand.
   */
  async add(sink: FollowSink, batches: AsyncIterable<PackedStepBatch>, onStep?: (b: PackedStepBatch) => void): Promise<Partial<NewRun>> {
    const before = this.agg.size;
    const isFirst = this.stepsRead.size === 0;
    for await (const batch of batches) {
      if (batch.step <= this.lastStep) throw new Error(`${batch.file}: step ${batch.step} is not after step ${this.lastStep}, the last one read`);
      await sink.addStepBlocks([this.agg.add(batch)]);
      if (batch.successField && !this.successField) {
        this.successField = batch.successField;
        const m = loggedSuccessNote(batch.successField, this.o.successReward);
        if (batch.successField === this.o.namedSuccessField) this.notes.push(m); // as a one-shot ingest keeps it
        this.o.say?.(m);
      }
      if (this.picker) {
        const epoch = epochOfStep(batch.step, this.o.stepsPerEpoch!);
        if (this.picker.endsEpoch(epoch)) {
          await this.write(sink, this.picker.flush());
          await sink.flushExamples();
        }
        if (keepsExamplesIn(epoch)) await this.write(sink, this.picker.add(batch, epoch, this.agg.lastOrdinals));
      }
      // The step's raw example bytes are written or copied out: hand the buffer back for reuse.
      if (batch.exampleBytes) recycleExampleBytes(this.o.pool, [batch.exampleBytes.buffer as ArrayBuffer]);
      if (this.stepsRead.size === 0) this.firstStep = batch.step;
      this.lastStep = batch.step;
      this.stepsRead.add(batch.step);
      onStep?.(batch);
    }
    // Prompts first seen in this append have the next ordinals, in order of first appearance,
    // as a one-shot ingest numbers them; they are joined to the dataset and stored as samples.
    const { keys: freshKeys, texts: freshTexts } = this.agg.keysAndTexts(before);
    const joined = isFirst ? this.o.join.first(this.agg) : this.o.join.next(freshKeys, freshTexts);
    const samples = freshKeys.map((_, j) => ({ ordinal: before + j, prompt: joined.prompts[j], publishedScore: null, datasetRowIndex: joined.rows[j] }));
    for (let i = 0; i < samples.length; i += 1000) await sink.addSamples(samples.slice(i, i + 1000));
    return this.totals();
  }

  /** Writes the picks still held for the epoch in progress: the watch is over. */
  async finish(sink: FollowSink): Promise<Partial<NewRun>> {
    if (this.picker) await this.write(sink, this.picker.flush());
    await sink.flushExamples();
    return this.totals();
  }

  totals(): Partial<NewRun> {
    return {
      ...this.o.join.fields(),
      sampleCount: this.agg.size,
      rolloutCount: this.agg.rollouts,
      stepCount: this.stepsRead.size,
      firstStep: this.firstStep,
      lastStep: this.lastStep,
      bytesRead: this.agg.bytes,
      successRule: this.successField ? "logged" : this.o.successRule,
      warnings: [...this.warnings],
      notes: [...this.notes, ...this.o.join.notes],
    };
  }

  private write(sink: FollowSink, picked: PickedExamples | Iterable<PickedExamples>): Promise<void> {
    return writePickedExamples(picked, sink);
  }
}
