import type { NewExample } from "../db/types";
import { IngestError } from "./errors";
import { JsonSyntaxError, stringLiteral } from "./scan/json-bytes";
import type { PackedStepBatch } from "./scan/pack-step-batch";

/**
 * A kept example rollout. Its response is decoded only when written (examplesText), in small
 * chunks: decoding a step's picks up front kept megabytes of strings alive through every
 * young-generation collection, which then copied and promoted them (~2 s of GC per
 * LIMR-size run).
 */
export interface PickedExample {
  /** The prompt's ordinal in the run. */
  ordinal: number;
  step: number;
  epoch: number;
  file: string;
  /** Element index within the step. */
  index: number;
  reward: number;
  success: boolean;
  responseLength: number;
  /** Decoded text (simple readers), or the raw JSON literal at bytes[start, end). */
  response?: string;
  bytes?: Buffer;
  start: number;
  end: number;
}

/**
 * The response of a pick as a JSON string literal: the log's own spelling when it is valid
 * JSON (never decoded and encoded again). Valid until the buffer it points into is reused
 * (see EpochExamplePicker).
 */
export function pickedJson(e: PickedExample): string {
  if (e.response !== undefined) return JSON.stringify(e.response);
  try {
    return stringLiteral(e.bytes!, e.start, e.end - 1);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new IngestError(`${e.file}: element ${e.index}: field "response": ${err.message}`, e.file, e.index, undefined, "response");
  }
}

/**
 * The epochs whose examples are kept: 1, 2, 4, 8, 16 and 32. Early epochs show the prompt
 * before the model learned it, later ones after; spacing them by powers of two bounds what a
 * prompt keeps (at most six epochs of examples, K each) whatever the epoch count, where
 * keeping every epoch stored every response of a run with two rollouts per prompt.
 */
export const EXAMPLE_EPOCHS = [1, 2, 4, 8, 16, 32] as const;

export function keepsExamplesIn(epoch: number): boolean {
  return (EXAMPLE_EPOCHS as readonly number[]).includes(epoch);
}

const HAS_SUCCESS = 1;
const HAS_FAILURE = 2;
/** The choice is final and was handed out; later rollouts this epoch are ignored. */
const DONE = 4;

/**
 * Chooses the examples kept per prompt and epoch: with room for two or more, the first
 * success and the first failure when both exist (the pair that explains a curve), filled up
 * to K with the next rollouts in log order; otherwise the first K.
 *
 * Candidates arrive in log order. A prompt's choice is handed out as soon as nothing later
 * can change it (with K = 2: once it has a success and a failure); prompts still waiting for
 * their other kind are held, their raw bytes copied into an arena reused epoch after epoch,
 * and handed out when the epoch ends.
 *
 * What it knows of a prompt is a byte of flags by ordinal, and picks only while held: keyed
 * by prompt text, an epoch's state kept a second copy of every prompt's text and an object
 * per prompt alive to the epoch's end (~500 MB at a million prompts).
 *
 * Protocol: picks returned by add() point into the step's exampleBytes (write them before
 * recycling that buffer); if endsEpoch(e), flush() and write its picks before the next add().
 */
export class EpochExamplePicker {
  private epoch = 0;
  private flags = new Uint8Array(1024);
  private touched = false;
  /** Picks of prompts not yet done, in order of each prompt's first candidate. */
  private held = new Map<number, PickedExample[]>();
  private arena = Buffer.allocUnsafeSlow(0);
  private used = 0;

  constructor(private readonly keep: number) {}

  /** True when a step of `epoch` starts a new epoch while picks of the previous one are held. */
  endsEpoch(epoch: number): boolean {
    return epoch !== this.epoch && this.touched;
  }

  /**
   * Adds one step's candidates; returns the picks that became final with it. `ordinals[i]` is
   * the run ordinal of the batch's i-th prompt key (RunAggregator.lastOrdinals).
   */
  add(batch: PackedStepBatch, epoch: number, ordinals: ArrayLike<number>): PickedExample[] {
    if (epoch !== this.epoch) {
      if (this.touched) throw new Error("EpochExamplePicker: flush() the previous epoch first");
      this.epoch = epoch;
      this.used = 0; // the previous epoch's held picks were written after flush()
    }
    const final: PickedExample[] = [];
    const c = batch.candidates;
    if (this.keep <= 0 || c.length === 0) return final;
    this.touched = true;
    const b = batch.exampleBytes;
    const bytes = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : undefined;
    const heldHere: PickedExample[] = [];
    for (let i = 0; i < c.length; i++) {
      const ordinal = ordinals[c.prompt[i]];
      const success = c.success[i] === 1;
      const f = this.flagsAt(ordinal);
      if (f & DONE) continue;
      let h = this.held.get(ordinal);
      const wanted = !h || h.length < this.keep || !(f & (success ? HAS_SUCCESS : HAS_FAILURE));
      if (!wanted) continue;
      const e: PickedExample = {
        ordinal,
        step: batch.step,
        epoch,
        file: batch.file,
        index: c.index[i],
        reward: c.reward[i],
        success,
        responseLength: c.responseLength[i],
        response: c.response?.[i],
        bytes,
        start: c.rawStart[i],
        end: c.rawEnd[i],
      };
      if (!h) this.held.set(ordinal, (h = []));
      h.push(e);
      heldHere.push(e);
      const now = f | (success ? HAS_SUCCESS : HAS_FAILURE);
      this.flags[ordinal] = now;
      // Final once the first K rollouts are in and, with K >= 2, both kinds are: every later
      // rollout comes after all of them in log order.
      if (this.keep === 1 || ((now & HAS_SUCCESS) && (now & HAS_FAILURE) && h.length >= this.keep)) {
        final.push(...this.choose(h, now));
        this.flags[ordinal] = now | DONE;
        this.held.delete(ordinal);
      }
    }
    // What stays held outlives this step's buffer: move its bytes into the arena.
    for (const e of heldHere) if (e.bytes === bytes && e.response === undefined && !(this.flags[e.ordinal] & DONE)) this.toArena(e);
    return final;
  }

  /** The picks of prompts still waiting when the epoch ends (they point into the arena). */
  flush(): PickedExample[] {
    const out: PickedExample[] = [];
    for (const [ordinal, h] of this.held) out.push(...this.choose(h, this.flags[ordinal]));
    this.held = new Map();
    this.flags.fill(0);
    this.touched = false;
    return out;
  }

  private flagsAt(ordinal: number): number {
    if (ordinal >= this.flags.length) {
      const grown = new Uint8Array(Math.max(ordinal + 1, 2 * this.flags.length));
      grown.set(this.flags);
      this.flags = grown;
    }
    return this.flags[ordinal];
  }

  /** The choice among a prompt's held candidates (in log order), kept in log order. */
  private choose(h: PickedExample[], flags: number): PickedExample[] {
    if (!(this.keep >= 2 && flags & HAS_SUCCESS && flags & HAS_FAILURE)) return h.slice(0, this.keep);
    const s = h.find((x) => x.success)!;
    const f = h.find((x) => !x.success)!;
    let room = this.keep - 2;
    return h.filter((x) => x === s || x === f || (room > 0 && room-- > 0));
  }

  private toArena(e: PickedExample): void {
    const n = e.end - e.start;
    if (this.used + n > this.arena.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(1 << 20, 2 * (this.used + n)));
      this.arena.copy(grown, 0, 0, this.used);
      // Picks already in the arena move with it.
      for (const h of this.held.values()) for (const x of h) if (x.bytes === this.arena) x.bytes = grown;
      this.arena = grown;
    }
    this.arena.set(e.bytes!.subarray(e.start, e.end), this.used);
    e.bytes = this.arena;
    e.start = this.used;
    e.end = this.used + n;
    this.used += n;
  }
}

/**
 * Writes picked examples in small chunks: each response is read out right before it is
 * written and dies young (decoding a whole epoch's first made them live long enough to be
 * promoted and collected as old garbage).
 */
export async function writePickedExamples(
  picked: readonly PickedExample[],
  add: (rows: NewExample[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < picked.length; i += 256) {
    await add(
      picked.slice(i, i + 256).map((e) => ({
        sampleOrdinal: e.ordinal,
        step: e.step,
        epoch: e.epoch,
        reward: e.reward,
        success: e.success,
        responseLength: e.responseLength,
        responseJson: pickedJson(e),
      })),
    );
  }
}
