import { IngestError } from "./errors";
import { JsonSyntaxError, decodeString } from "./json-bytes";
import type { ExampleCandidate, StepBatch } from "./record";

export interface PickedExample extends ExampleCandidate {
  step: number;
  epoch: number;
  file: string;
  /** The step's exampleBytes, when the response is still a raw literal there. */
  bytes?: Buffer;
}

/** The response text of a picked example, decoding its raw JSON literal if need be. */
export function exampleText(e: PickedExample): string {
  if (e.response !== undefined) return e.response;
  try {
    return decodeString(e.bytes!, e.rawStart!, e.rawEnd! - 1);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new IngestError(`${e.file}: element ${e.index}: field "response": ${err.message}`, e.file, e.index, undefined, "response");
  }
}

interface PromptPicks {
  candidates: PickedExample[];
  hasSuccess: boolean;
  hasFailure: boolean;
}

/**
 * Chooses the examples kept per prompt and epoch: with room for two or more, the first
 * success and the first failure when both exist (the pair that explains a curve), filled up
 * to K with the next rollouts in log order; otherwise the first K. Candidates arrive in log
 * order; only those that can still be chosen are held, at most K + 1 per prompt, and an
 * epoch is handed out as soon as the next one starts.
 */
export class EpochExamplePicker {
  private epoch = 0;
  private byPrompt = new Map<string, PromptPicks>();

  constructor(private readonly keep: number) {}

  /** Adds one step's candidates; returns the previous epoch's picks when this step starts a new epoch. */
  add(batch: StepBatch, epoch: number): PickedExample[] {
    const { step, file, examples: candidates } = batch;
    const bytes = batch.exampleBytes ? Buffer.from(batch.exampleBytes.buffer, batch.exampleBytes.byteOffset, batch.exampleBytes.byteLength) : undefined;
    const done = epoch !== this.epoch ? this.flush() : [];
    this.epoch = epoch;
    if (this.keep <= 0) return done;
    for (const c of candidates) {
      let p = this.byPrompt.get(c.prompt);
      if (p === undefined) {
        p = { candidates: [], hasSuccess: false, hasFailure: false };
        this.byPrompt.set(c.prompt, p);
      }
      const wanted = p.candidates.length < this.keep || (c.success ? !p.hasSuccess : !p.hasFailure);
      if (!wanted) continue;
      p.candidates.push({ ...c, step, epoch, file, bytes });
      if (c.success) p.hasSuccess = true;
      else p.hasFailure = true;
    }
    return done;
  }

  /** The current epoch's picks, prompt by prompt in order of first appearance, each in log order. */
  flush(): PickedExample[] {
    const out: PickedExample[] = [];
    for (const p of this.byPrompt.values()) {
      const c = p.candidates;
      if (this.keep >= 2 && p.hasSuccess && p.hasFailure) {
        const s = c.find((x) => x.success)!;
        const f = c.find((x) => !x.success)!;
        const rest = c.filter((x) => x !== s && x !== f);
        const chosen = new Set([s, f, ...rest.slice(0, this.keep - 2)]);
        for (const x of c) if (chosen.has(x)) out.push(x);
      } else out.push(...c.slice(0, this.keep));
    }
    this.byPrompt = new Map();
    return out;
  }
}
