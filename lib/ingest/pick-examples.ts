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
  prompt: string;
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

interface PromptPicks {
  held: PickedExample[];
  hasSuccess: boolean;
  hasFailure: boolean;
  /** The choice is final and was handed out; later rollouts this epoch are ignored. */
  done: boolean;
}

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
 * Protocol: picks returned by add() point into the step's exampleBytes (write them before
 * recycling that buffer); if endsEpoch(e), flush() and write its picks before the next add().
 */
export class EpochExamplePicker {
  private epoch = 0;
  private byPrompt = new Map<string, PromptPicks>();
  private arena = Buffer.allocUnsafeSlow(0);
  private used = 0;

  constructor(private readonly keep: number) {}

  /** True when a step of `epoch` starts a new epoch while picks of the previous one are held. */
  endsEpoch(epoch: number): boolean {
    return epoch !== this.epoch && this.byPrompt.size > 0;
  }

  /** Adds one step's candidates; returns the picks that became final with it. */
  add(batch: PackedStepBatch, epoch: number): PickedExample[] {
    if (epoch !== this.epoch) {
      if (this.byPrompt.size > 0) throw new Error("EpochExamplePicker: flush() the previous epoch first");
      this.epoch = epoch;
      this.used = 0; // the previous epoch's held picks were written after flush()
    }
    const final: PickedExample[] = [];
    const c = batch.candidates;
    if (this.keep <= 0 || c.length === 0) return final;
    const b = batch.exampleBytes;
    const bytes = b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : undefined;
    const heldHere: PickedExample[] = [];
    for (let i = 0; i < c.length; i++) {
      const prompt = batch.prompts[c.prompt[i]];
      const success = c.success[i] === 1;
      let p = this.byPrompt.get(prompt);
      if (p === undefined) {
        p = { held: [], hasSuccess: false, hasFailure: false, done: false };
        this.byPrompt.set(prompt, p);
      }
      if (p.done) continue;
      const wanted = p.held.length < this.keep || (success ? !p.hasSuccess : !p.hasFailure);
      if (!wanted) continue;
      const e: PickedExample = {
        prompt,
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
      p.held.push(e);
      heldHere.push(e);
      if (success) p.hasSuccess = true;
      else p.hasFailure = true;
      // Final once the first K rollouts are in and, with K >= 2, both kinds are: every later
      // rollout comes after all of them in log order.
      if (this.keep === 1 || (p.hasSuccess && p.hasFailure && p.held.length >= this.keep)) {
        final.push(...this.choose(p));
        p.done = true;
        p.held = [];
      }
    }
    // What stays held outlives this step's buffer: move its bytes into the arena.
    for (const e of heldHere) if (e.bytes === bytes && e.response === undefined && !this.byPrompt.get(e.prompt)!.done) this.toArena(e);
    return final;
  }

  /** The picks of prompts still waiting when the epoch ends (they point into the arena). */
  flush(): PickedExample[] {
    const out: PickedExample[] = [];
    for (const p of this.byPrompt.values()) if (!p.done) out.push(...this.choose(p));
    this.byPrompt = new Map();
    return out;
  }

  /** The choice among a prompt's held candidates (in log order), kept in log order. */
  private choose(p: PromptPicks): PickedExample[] {
    const h = p.held;
    if (!(this.keep >= 2 && p.hasSuccess && p.hasFailure)) return h.slice(0, this.keep);
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
      for (const p of this.byPrompt.values()) for (const h of p.held) if (h.bytes === this.arena) h.bytes = grown;
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
  ordinalOf: (prompt: string) => number,
  add: (rows: NewExample[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < picked.length; i += 256) {
    await add(
      picked.slice(i, i + 256).map((e) => ({
        sampleOrdinal: ordinalOf(e.prompt),
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
