import type { ExampleCandidate } from "./record";

export interface PickedExample extends ExampleCandidate {
  step: number;
  epoch: number;
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
  add(step: number, epoch: number, candidates: readonly ExampleCandidate[]): PickedExample[] {
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
      p.candidates.push({ ...c, step, epoch });
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
