import { IngestError } from "./errors";
import { JsonSyntaxError, decodeString } from "./json-bytes";
import type { ExampleCandidate, StepBatch } from "./record";

/** Where a candidate came from; one per step, shared by its candidates. */
interface StepInfo {
  step: number;
  epoch: number;
  file: string;
}

/** A held candidate; a raw response's rawStart/rawEnd point into the picker's arena. */
export interface PickedExample {
  candidate: ExampleCandidate;
  from: StepInfo;
}

interface PromptPicks {
  held: PickedExample[];
  hasSuccess: boolean;
  hasFailure: boolean;
}

/**
 * Chooses the examples kept per prompt and epoch: with room for two or more, the first
 * success and the first failure when both exist (the pair that explains a curve), filled up
 * to K with the next rollouts in log order; otherwise the first K.
 *
 * Candidates arrive in log order; only those that can still be chosen are held (at most
 * K + 1 per prompt), their raw bytes copied into one arena reused epoch after epoch, so a
 * step's buffer can be recycled as soon as the step is added.
 *
 * Use: if endsEpoch(e), flush() and decode the picks (text()) before the next add().
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

  add(batch: StepBatch, epoch: number): void {
    if (epoch !== this.epoch) {
      if (this.byPrompt.size > 0) throw new Error("EpochExamplePicker: flush() the previous epoch first");
      this.epoch = epoch;
      this.used = 0; // the previous epoch's picks have been decoded by now
    }
    if (this.keep <= 0 || batch.examples.length === 0) return;
    const src = batch.exampleBytes;
    const from: StepInfo = { step: batch.step, epoch, file: batch.file };
    for (const c of batch.examples) {
      let p = this.byPrompt.get(c.prompt);
      if (p === undefined) {
        p = { held: [], hasSuccess: false, hasFailure: false };
        this.byPrompt.set(c.prompt, p);
      }
      const wanted = p.held.length < this.keep || (c.success ? !p.hasSuccess : !p.hasFailure);
      if (!wanted) continue;
      if (c.response === undefined) this.copyRaw(c, src!);
      p.held.push({ candidate: c, from });
      if (c.success) p.hasSuccess = true;
      else p.hasFailure = true;
    }
  }

  /** The current epoch's picks, prompt by prompt in order of first appearance, each in log order. */
  flush(): PickedExample[] {
    const out: PickedExample[] = [];
    for (const p of this.byPrompt.values()) {
      const h = p.held;
      if (this.keep >= 2 && p.hasSuccess && p.hasFailure) {
        const s = h.find((x) => x.candidate.success)!;
        const f = h.find((x) => !x.candidate.success)!;
        let room = this.keep - 2;
        for (const x of h) {
          if (x === s || x === f) out.push(x);
          else if (room > 0) {
            out.push(x);
            room--;
          }
        }
      } else for (let i = 0; i < h.length && i < this.keep; i++) out.push(h[i]);
    }
    this.byPrompt = new Map();
    return out;
  }

  /** The response text of a pick from the last flush (valid until the next add). */
  text(e: PickedExample): string {
    const c = e.candidate;
    if (c.response !== undefined) return c.response;
    try {
      return decodeString(this.arena, c.rawStart!, c.rawEnd! - 1);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      throw new IngestError(`${e.from.file}: element ${c.index}: field "response": ${err.message}`, e.from.file, c.index, undefined, "response");
    }
  }

  private copyRaw(c: ExampleCandidate, src: Uint8Array): void {
    const n = c.rawEnd! - c.rawStart!;
    if (this.used + n > this.arena.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(1 << 20, 2 * (this.used + n)));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    this.arena.set(src.subarray(c.rawStart!, c.rawEnd!), this.used);
    c.rawStart = this.used;
    c.rawEnd = this.used + n;
    this.used += n;
  }
}
