import type { RunAppender } from "../../db/append-run";
import type { NewRun, RunWriter } from "../../db/types";
import { epochOfStep } from "../../lim/epochs";
import { loggedSuccessNote } from "../../lim/success-rule";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { EpochExamplePicker, writePickedExamples, type PickedExample } from "../pick-examples";
import { recycleExampleBytes } from "../formats/read-openrlhf";
import { RunAggregator } from "../run-aggregator";
import type { ScanPool } from "../scan/scan-pool";
import type { WatchJoin } from "./watch-join";

/** Where a follower writes: the new run's writer (first read) or an append to it. */
export type FollowSink = RunWriter & Partial<Pick<RunAppender, "appendSteps">>;

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
 * What a watched run needs to remember between appends: each prompt's ordinal (appended
 * steps go to the sample that already has the prompt, new prompts get the next ordinals,
 * in order of first appearance, as a one-shot ingest numbers them), the run's counts, and
 * the example picker of the epoch in progress (its held picks are written when the epoch
 * ends, or when the watch stops).
 */
export class RunFollower {
  readonly ordinals = new Map<string, number>();
  readonly stepsRead = new Set<number>();
  readonly promptsPerStep: number[] = [];
  readonly warnings: string[] = [];
  /** What the watch decided for the user (an inferred epoch length); the join adds its own. */
  readonly notes: string[] = [];
  rollouts = 0;
  bytes = 0;
  firstStep = 0;
  lastStep = 0;
  /** The field a rollout's success was first logged in (StepBatch.successField), as a one-shot ingest records it. */
  successField: string | null = null;
  private readonly picker: EpochExamplePicker | null;

  constructor(private readonly o: FollowerOptions) {
    this.picker = o.keepExamples > 0 && o.stepsPerEpoch ? new EpochExamplePicker(o.keepExamples) : null;
  }

  /**
   * Reads `batches` (in step order, every step after lastStep) into `sink`: new prompts as
   * samples, known prompts' steps appended to their samples, examples as they are decided.
   * Returns the run fields as they now stand.
   */
  async add(sink: FollowSink, batches: AsyncIterable<PackedStepBatch>, onStep?: (b: PackedStepBatch) => void): Promise<Partial<NewRun>> {
    const agg = new RunAggregator();
    const fresh = new Set<string>();
    const isFirst = this.stepsRead.size === 0;
    for await (const batch of batches) {
      if (batch.step <= this.lastStep) throw new Error(`${batch.file}: step ${batch.step} is not after step ${this.lastStep}, the last one read`);
      agg.add(batch);
      if (batch.successField && !this.successField) {
        this.successField = batch.successField;
        const m = loggedSuccessNote(batch.successField, this.o.successReward);
        if (batch.successField === this.o.namedSuccessField) this.notes.push(m); // as a one-shot ingest keeps it
        this.o.say?.(m);
      }
      for (const p of batch.prompts) {
        if (this.ordinals.has(p)) continue;
        this.ordinals.set(p, this.ordinals.size);
        fresh.add(p);
      }
      if (this.picker) {
        const epoch = epochOfStep(batch.step, this.o.stepsPerEpoch!);
        if (this.picker.endsEpoch(epoch)) await this.write(sink, this.picker.flush());
        await this.write(sink, this.picker.add(batch, epoch));
      }
      // The step's raw example bytes are written or copied out: hand the buffer back for reuse.
      if (batch.exampleBytes) recycleExampleBytes(this.o.pool, [batch.exampleBytes.buffer as ArrayBuffer]);
      if (this.stepsRead.size === 0) this.firstStep = batch.step;
      this.lastStep = batch.step;
      this.stepsRead.add(batch.step);
      this.rollouts += batch.rollouts;
      this.bytes += batch.bytes;
      this.promptsPerStep.push(batch.prompts.length);
      onStep?.(batch);
    }
    // Keys (trimmed texts, or ids) in the append's own first-appearance order; new ones are
    // joined to the dataset, known ones only get their steps appended.
    const { keys, texts } = agg.keysAndTexts();
    const freshAt = keys.flatMap((k, i) => (fresh.has(k) ? [i] : []));
    const joined = isFirst ? this.o.join.first(agg) : this.o.join.next(freshAt.map((i) => keys[i]), freshAt.map((i) => texts[i]));
    const prompt: string[] = texts.slice();
    const row: (number | null)[] = keys.map(() => null);
    freshAt.forEach((i, j) => {
      prompt[i] = joined.prompts[j];
      row[i] = joined.rows[j];
    });
    for (const rows of agg.samples((_, i) => row[i], 1000, (_, i) => prompt[i])) {
      const added = [];
      const appended = [];
      for (const s of rows) {
        const key = keys[s.ordinal];
        const ordinal = this.ordinals.get(key)!;
        if (fresh.has(key)) added.push({ ...s, ordinal });
        else appended.push({ ordinal, steps: s.steps, rolloutCount: s.rolloutCount });
      }
      if (added.length > 0) await sink.addSamples(added);
      if (appended.length > 0) {
        if (!sink.appendSteps) throw new Error("steps of known prompts can only be appended to a stored run");
        await sink.appendSteps(appended);
      }
    }
    return this.totals();
  }

  /** Writes the picks still held for the epoch in progress: the watch is over. */
  async finish(sink: FollowSink): Promise<Partial<NewRun>> {
    if (this.picker) await this.write(sink, this.picker.flush());
    return this.totals();
  }

  totals(): Partial<NewRun> {
    return {
      ...this.o.join.fields(),
      sampleCount: this.ordinals.size,
      rolloutCount: this.rollouts,
      stepCount: this.stepsRead.size,
      firstStep: this.firstStep,
      lastStep: this.lastStep,
      bytesRead: this.bytes,
      successRule: this.successField ? "logged" : this.o.successRule,
      warnings: [...this.warnings],
      notes: [...this.notes, ...this.o.join.notes],
    };
  }

  private write(sink: FollowSink, picked: PickedExample[]): Promise<void> {
    return writePickedExamples(picked, (p) => this.ordinals.get(p)!, (rows) => sink.addExamples(rows));
  }
}
