import type { StepAggregate, StepCounts, SuccessRule } from "./types";

/**
 * A run's trajectories as columns. A run is a matrix of prompts x steps of small counts; it is
 * stored and loaded step by step (one StepBlock per step, what a trainer writes per file), and
 * held in memory as the blocks concatenated: a handful of typed arrays whatever the prompt
 * count, so scoring a million prompts is one pass over them, never a million objects.
 *
 * Records are (prompt, step) aggregates: a block's records are its step's prompts, ascending
 * by ordinal. Each record has a histogram of the distinct rewards its rollouts got, so
 * successes can be recounted for any success reward without the log.
 */
export interface StepBlock {
  step: number;
  /** Prompt ordinals, strictly ascending. */
  ordinal: Uint32Array;
  rollouts: Uint32Array;
  rewardSum: Float64Array;
  lengthSum: Float64Array;
  /** Distinct reward values per record; the record's entries follow in rewardValue/rewardCount. */
  rewardKinds: Uint32Array;
  rewardValue: Float64Array;
  rewardCount: Uint32Array;
}

/** A column of counts, in the narrowest unsigned type its values fit (see narrowest). */
export type CountColumn = Uint8Array | Uint16Array | Uint32Array;
/** A column of numbers, in the narrowest type that gives every value back exactly. */
export type NumberColumn = CountColumn | Float32Array | Float64Array;

export interface RunColumns {
  promptCount: number;
  /** Per block (steps ascending): its step number and its first record; stepStart has one more entry. */
  stepNumber: Int32Array;
  stepStart: Uint32Array;
  /** Per record. */
  ordinal: Uint32Array;
  rollouts: CountColumn;
  /** Per record, its first histogram entry; one more entry than records. */
  entryStart: Uint32Array;
  rewardValue: Float64Array;
  rewardCount: Uint32Array;
  /** Per record, in the narrowest exact type (NarrowingColumn); null when loaded for scoring only. */
  rewardSum: NumberColumn | null;
  lengthSum: NumberColumn | null;
  /** Per record, its successes for one success reward and rule, when the histograms were dropped (countedForPages). */
  counted?: { successReward: number; rule: SuccessRule; successes: CountColumn };
}

/** A block's sizes, stored beside it so a run's columns are allocated once before reading. */
export interface BlockSize {
  records: number;
  entries: number;
}

/** Concatenates step blocks (steps ascending) into a run's columns. */
export class RunColumnsBuilder {
  private readonly cols: RunColumns;
  /** The sums, narrowed as they come (they are read only for a prompt's own numbers). */
  private readonly sums: [NarrowingColumn, NarrowingColumn] | null;
  private block = 0;
  private record = 0;
  private entry = 0;

  constructor(promptCount: number, sizes: readonly BlockSize[], withSums: boolean) {
    let records = 0;
    let entries = 0;
    for (const s of sizes) {
      records += s.records;
      entries += s.entries;
    }
    this.cols = {
      promptCount,
      stepNumber: new Int32Array(sizes.length),
      stepStart: new Uint32Array(sizes.length + 1),
      ordinal: new Uint32Array(records),
      rollouts: new Uint32Array(records),
      entryStart: new Uint32Array(records + 1),
      rewardValue: new Float64Array(entries),
      rewardCount: new Uint32Array(entries),
      rewardSum: null,
      lengthSum: null,
    };
    this.sums = withSums ? [new NarrowingColumn(records), new NarrowingColumn(records)] : null;
  }

  add(b: StepBlock): void {
    const c = this.cols;
    if (this.block >= c.stepNumber.length) throw new Error("RunColumnsBuilder: more blocks than sizes given");
    const n = b.ordinal.length;
    const at = this.record;
    c.stepNumber[this.block] = b.step;
    c.stepStart[this.block] = at;
    c.ordinal.set(b.ordinal, at);
    c.rollouts.set(b.rollouts, at);
    this.sums?.[0].set(b.rewardSum, at);
    this.sums?.[1].set(b.lengthSum, at);
    let e = this.entry;
    for (let i = 0; i < n; i++) {
      c.entryStart[at + i] = e;
      e += b.rewardKinds[i];
    }
    c.rewardValue.set(b.rewardValue, this.entry);
    c.rewardCount.set(b.rewardCount, this.entry);
    this.entry = e;
    this.record += n;
    this.block++;
  }

  finish(): RunColumns {
    const c = this.cols;
    if (this.block !== c.stepNumber.length || this.record !== c.ordinal.length || this.entry !== c.rewardValue.length) {
      throw new Error(`stored step blocks disagree with their sizes (${this.block} of ${c.stepNumber.length} blocks, ${this.record} of ${c.ordinal.length} records)`);
    }
    c.stepStart[this.block] = this.record;
    c.entryStart[this.record] = this.entry;
    if (this.sums) [c.rewardSum, c.lengthSum] = [this.sums[0].values, this.sums[1].values];
    return c;
  }
}

export function columnsFromBlocks(promptCount: number, blocks: readonly StepBlock[], withSums = true): RunColumns {
  const builder = new RunColumnsBuilder(promptCount, blocks.map(blockSize), withSums);
  for (const b of blocks) builder.add(b);
  return builder.finish();
}

export function blockSize(b: StepBlock): BlockSize {
  return { records: b.ordinal.length, entries: b.rewardValue.length };
}

/**
 * Successes of one record: reward === the success reward ("equals", the reference's
 * `reward == 1`), else reward >= it ("at-least", and "logged", whose histogram ingest filed
 * for that count: see countsAsSuccess in success-rule.ts). A run's accuracies per epoch are
 * epoch-accuracies.ts.
 */
export function successesOf(c: RunColumns, r: number, successReward: number, atLeast: boolean): number {
  let n = 0;
  for (let e = c.entryStart[r], end = c.entryStart[r + 1]; e < end; e++) {
    const v = c.rewardValue[e];
    if (atLeast ? v >= successReward : v === successReward) n += c.rewardCount[e];
  }
  return n;
}

/** Successes of every record, in one pass over the histogram entries. */
function successCounts(c: RunColumns, successReward: number, atLeast: boolean): Uint32Array {
  const out = new Uint32Array(c.ordinal.length);
  const { entryStart, rewardValue, rewardCount } = c;
  for (let r = 0; r < out.length; r++) {
    let n = 0;
    for (let e = entryStart[r], end = entryStart[r + 1]; e < end; e++) {
      const v = rewardValue[e];
      if (atLeast ? v >= successReward : v === successReward) n += rewardCount[e];
    }
    out[r] = n;
  }
  return out;
}

/** Per prompt, its visits: steps with rollouts. */
export function visitCounts(c: RunColumns): Uint32Array {
  const out = new Uint32Array(c.promptCount);
  for (let r = 0; r < c.ordinal.length; r++) if (c.rollouts[r] > 0) out[c.ordinal[r]]++;
  return out;
}

/** Per prompt, every rollout logged for it. */
export function rolloutTotals(c: RunColumns): Float64Array {
  const out = new Float64Array(c.promptCount);
  for (let r = 0; r < c.ordinal.length; r++) out[c.ordinal[r]] += c.rollouts[r];
  return out;
}

/** One prompt's per-step counts (steps ascending), found by binary search in each block. */
export function promptStepCounts(c: RunColumns, ordinal: number, successReward: number, rule: SuccessRule): StepCounts[] {
  const out: StepCounts[] = [];
  const atLeast = rule !== "equals";
  const counted = c.counted;
  if (counted && !(counted.successReward === successReward && counted.rule === rule)) {
    throw new Error(`these columns were counted for success reward ${counted.successReward} (${counted.rule}), not ${successReward} (${rule})`);
  }
  for (let b = 0; b < c.stepNumber.length; b++) {
    const r = findRecord(c.ordinal, c.stepStart[b], c.stepStart[b + 1], ordinal);
    if (r < 0) continue;
    out.push({
      step: c.stepNumber[b],
      rollouts: c.rollouts[r],
      successes: counted ? counted.successes[r] : successesOf(c, r, successReward, atLeast),
      rewardSum: c.rewardSum?.[r] ?? NaN,
      responseLengthSum: c.lengthSum?.[r] ?? NaN,
    });
  }
  return out;
}

/**
 * The columns a prompt's page needs once a run is scored: each record's successes for the
 * success reward in force instead of the reward histograms (4 bytes a record instead of ~22),
 * and every per-record column in the narrowest type that holds its values exactly (counts of
 * a few rollouts fit a byte, integer sums a byte or two): a server holding a million-prompt
 * run in memory cannot spare ~170 MB of Uint32 and Float64 columns for one prompt's numbers.
 */
export function countedForPages(c: RunColumns, successReward: number, rule: SuccessRule): RunColumns {
  const successes = successCounts(c, successReward, rule !== "equals");
  return {
    ...c,
    rollouts: narrowest(c.rollouts) as CountColumn,
    rewardSum: c.rewardSum && narrowest(c.rewardSum),
    lengthSum: c.lengthSum && narrowest(c.lengthSum),
    entryStart: new Uint32Array(1),
    rewardValue: new Float64Array(0),
    rewardCount: new Uint32Array(0),
    counted: { successReward, rule, successes: narrowest(successes) as CountColumn },
  };
}

/** The column types from narrowest to widest. */
const KINDS = [Uint8Array, Uint16Array, Uint32Array, Float32Array, Float64Array] as const;

/**
 * The narrowest of KINDS (its index, at least `from`) that reads each value back as the same
 * number: an unsigned integer type when all are integers in range (-0 is not), else Float32
 * when each is one, else Float64.
 */
function kindOf(values: ArrayLike<number>, from = 0): number {
  let most = 0;
  let integers = from <= 2;
  let floats = from <= 3;
  for (let i = 0; i < values.length && (integers || floats); i++) {
    const v = values[i];
    if (integers && !(Number.isInteger(v) && v >= 0 && !Object.is(v, -0))) integers = false;
    else if (v > most) most = v;
    if (floats && !Object.is(Math.fround(v), v)) floats = false;
  }
  const kind = integers ? (most <= 0xff ? 0 : most <= 0xffff ? 1 : most <= 0xffffffff ? 2 : 3) : 3;
  return Math.max(from, kind === 3 && !floats ? 4 : kind);
}

/** The values in the narrowest typed array that gives each back exactly: counts stay counts, a sum is never rounded. */
export function narrowest(values: ArrayLike<number>): NumberColumn {
  return KINDS[kindOf(values)].from(values);
}

/**
 * A column filled a block at a time in the narrowest exact type so far, widened (copied once
 * per type) when a block needs more: a million prompts' reward and length sums are never two
 * Float64 columns of ~48 MB each while a run is loaded for its pages.
 */
class NarrowingColumn {
  private kind = 0;
  values: NumberColumn;

  constructor(length: number) {
    this.values = new Uint8Array(length);
  }

  set(block: ArrayLike<number>, at: number): void {
    const kind = kindOf(block, this.kind);
    if (kind > this.kind) {
      const wider = new KINDS[kind](this.values.length);
      wider.set(this.values.subarray(0, at));
      this.values = wider;
      this.kind = kind;
    }
    this.values.set(block, at);
  }
}

function findRecord(ordinals: Uint32Array, lo: number, hi: number, want: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = ordinals[mid];
    if (v === want) return mid;
    if (v < want) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/** A block of `records` prompts and `entries` reward-histogram entries, every value 0. */
export function emptyBlock(step: number, records: number, entries: number): StepBlock {
  return {
    step,
    ordinal: new Uint32Array(records),
    rollouts: new Uint32Array(records),
    rewardSum: new Float64Array(records),
    lengthSum: new Float64Array(records),
    rewardKinds: new Uint32Array(records),
    rewardValue: new Float64Array(entries),
    rewardCount: new Uint32Array(entries),
  };
}

/**
 * Step blocks from per-prompt aggregates (prompt i has ordinal i): how tests and small
 * callers build columns from the shape a person writes by hand.
 */
export function blocksFromPrompts(prompts: readonly (readonly StepAggregate[])[]): StepBlock[] {
  const bySteps = new Map<number, { ordinal: number; agg: StepAggregate }[]>();
  prompts.forEach((steps, ordinal) => {
    for (const agg of steps) {
      let list = bySteps.get(agg.step);
      if (!list) bySteps.set(agg.step, (list = []));
      list.push({ ordinal, agg });
    }
  });
  return [...bySteps.keys()].sort((a, b) => a - b).map((step) => blockOf(step, bySteps.get(step)!));
}

function blockOf(step: number, rows: { ordinal: number; agg: StepAggregate }[]): StepBlock {
  const n = rows.length;
  let entries = 0;
  for (const r of rows) entries += r.agg.rewards.length;
  const b = emptyBlock(step, n, entries);
  let e = 0;
  rows.forEach(({ ordinal, agg }, i) => {
    b.ordinal[i] = ordinal;
    b.rollouts[i] = agg.rollouts;
    b.rewardSum[i] = agg.rewardSum;
    b.lengthSum[i] = agg.responseLengthSum;
    b.rewardKinds[i] = agg.rewards.length;
    for (const r of agg.rewards) {
      b.rewardValue[e] = r.reward;
      b.rewardCount[e++] = r.count;
    }
  });
  return b;
}
