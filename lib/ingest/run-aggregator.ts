import type { SampleRecord } from "../db/types";
import { emptyBlock, type StepBlock } from "../lim/run-columns";
import type { PackedStepBatch, StepColumns } from "./scan/pack-step-batch";
import { PromptKeyTable } from "./scan/prompt-keys";

/**
 * Turns packed StepBatches (in step order) into the run's step blocks, one per step, and
 * keeps only what identifies each prompt: its key and ordinal (its order of first appearance
 * in the log: by step, then within the step). Nothing per prompt grows with the log, so
 * memory is the prompt keys plus one step at a time, at 8k prompts as at a million.
 */
export class RunAggregator {
  /** Prompt keys by ordinal, as bytes (see PromptKeyTable). */
  private keys = new PromptKeyTable();
  /** The prompt count once the keys were released (see releaseKeys), else -1. */
  private releasedSize = -1;
  /** When keyed by id: the text first seen with each ordinal's id. */
  private readonly texts: string[] = [];
  readonly promptsPerStep: number[] = [];
  rollouts = 0;
  bytes = 0;
  steps = 0;
  firstStep = 0;
  lastStep = 0;
  /** The run ordinal of each prompt of the batch added last, aligned with its `prompts`. */
  lastOrdinals = new Uint32Array(0);
  /** A batch keyed its prompts by id (StepBatch.texts): the reader honoured --id-field. */
  keyedById = false;
  /** The field some rollout's success was logged in (StepBatch.successField); null: success came from rewards. */
  successField: string | null = null;

  /** Adds one step; returns its block (records ascending by ordinal) for the writer. */
  add(batch: PackedStepBatch): StepBlock {
    if (this.releasedSize >= 0) throw new Error("RunAggregator.add after releaseKeys");
    const { keys } = batch;
    if (batch.texts) this.keyedById = true;
    if (batch.successField) this.successField ??= batch.successField;
    const n = keys.ends.length;
    const ordinals = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let o = this.keys.ordinalOf(keys, keys.bytes, i);
      if (o < 0) {
        o = -o - 1;
        if (batch.texts) this.texts[o] = batch.texts[i];
      }
      ordinals[i] = o;
    }
    this.lastOrdinals = ordinals;
    const block = toBlock(batch.step, ordinals, batch.agg);
    if (this.steps === 0) this.firstStep = batch.step;
    this.lastStep = batch.step;
    this.steps++;
    this.rollouts += batch.rollouts;
    this.bytes += batch.bytes;
    this.promptsPerStep.push(n);
    return block;
  }

  /** Distinct prompts read so far. */
  get size(): number {
    return this.releasedSize >= 0 ? this.releasedSize : this.keys.size;
  }

  /**
   * Frees the keys' bytes once the prompts are resolved and nothing more is read (a one-shot
   * ingest: a million keys are ~200 MB, and the dataset holds the matched ones too). The
   * counts stay; a key can no longer be read.
   */
  releaseKeys(): void {
    this.releasedSize = this.size;
    this.keys = new PromptKeyTable();
  }

  /**
   * The prompt keys themselves, for a dataset index to refer to instead of copying them
   * (DatasetIndex). Read only: the run must be read whole before they are shared.
   */
  get keyTable(): PromptKeyTable {
    if (this.releasedSize >= 0) throw new Error("RunAggregator.keyTable after releaseKeys");
    return this.keys;
  }

  /** The key of an ordinal as text (a dataset's matches are looked up as bytes instead: DatasetIndex.entryOfBytes). */
  keyOf(ordinal: number): string {
    if (this.releasedSize >= 0) throw new Error("RunAggregator.keyOf after releaseKeys");
    return this.keys.key(ordinal);
  }

  /** Calls fn with each ordinal's key as UTF-8 (see PromptKeyTable.forEachKey), in ordinal order. */
  forEachKey(fn: (bytes: Uint8Array, start: number, end: number, hash: number, ordinal: number) => void): void {
    this.keys.forEachKey(fn);
  }

  /**
   * The prompt keys in ordinal order from `from` on and, aligned, the text to show for each
   * (the key itself unless keyed by id).
   */
  keysAndTexts(from = 0): { keys: string[]; texts: string[] } {
    const keys: string[] = [];
    const texts: string[] = [];
    for (let o = from; o < this.size; o++) {
      const k = this.keyOf(o);
      keys.push(k);
      texts.push(this.texts[o] ?? k);
    }
    return { keys, texts };
  }

  /**
   * Samples in ordinal order, in batches. A sample's prompt is promptOf(key, ordinal) when
   * given (the dataset's question the key was matched to), else the key.
   */
  *samples(datasetRowIndex: (key: string, ordinal: number) => number | null, batchSize = 1000, promptOf?: (key: string, ordinal: number) => string): Generator<SampleRecord[]> {
    let batch: SampleRecord[] = [];
    for (let ordinal = 0; ordinal < this.size; ordinal++) {
      const key = this.keyOf(ordinal);
      batch.push({ ordinal, prompt: promptOf ? promptOf(key, ordinal) : key, publishedScore: null, datasetRowIndex: datasetRowIndex(key, ordinal) });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

/**
 * A step's block: its columns in ordinal order. A prompt first seen in this step has a larger
 * ordinal than every older one, so most steps are nearly sorted already.
 */
function toBlock(step: number, ordinals: Uint32Array, a: StepColumns): StepBlock {
  const n = ordinals.length;
  const order = byOrdinal(ordinals);
  const entryStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) entryStart[i + 1] = entryStart[i] + a.rewardKinds[i];
  const b = emptyBlock(step, n, a.rewardValue.length);
  let e = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j];
    b.ordinal[j] = ordinals[i];
    b.rollouts[j] = a.rollouts[i];
    b.rewardSum[j] = a.rewardSum[i];
    b.lengthSum[j] = a.lengthSum[i];
    b.rewardKinds[j] = a.rewardKinds[i];
    for (let k = entryStart[i]; k < entryStart[i + 1]; k++) {
      b.rewardValue[e] = a.rewardValue[k];
      b.rewardCount[e++] = a.rewardCount[k];
    }
  }
  return b;
}

/**
 * Positions of `ordinals` in ascending order. A numeric typed-array sort of ordinal x 2^21 +
 * position (exact below 2^53) instead of a comparator over an index array: ~10x faster.
 */
function byOrdinal(ordinals: Uint32Array): Uint32Array {
  const n = ordinals.length;
  const out = new Uint32Array(n);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (ordinals[i] < ordinals[i - 1]) sorted = false;
  if (sorted) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  if (n >= 1 << 21) return Uint32Array.from(Array.from({ length: n }, (_, i) => i).sort((x, y) => ordinals[x] - ordinals[y]));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ordinals[i] * 2097152 + i;
  keys.sort();
  for (let j = 0; j < n; j++) out[j] = keys[j] % 2097152;
  return out;
}
