import { mulberry32, type Rng } from "./prng";

/**
 * The learning curves a real PPO run shows, one per prompt. LIM rewards prompts whose
 * accuracy follows the model's average curve; these archetypes give it something to sort.
 */
export const ARCHETYPES = ["never", "solved", "fast", "slow", "unstable", "forgotten"] as const;
export type Archetype = (typeof ARCHETYPES)[number];

/** Share of prompts per archetype (roughly what a MATH run looks like). */
const MIX: Record<Archetype, number> = { never: 0.12, solved: 0.24, fast: 0.22, slow: 0.2, unstable: 0.13, forgotten: 0.09 };

export interface PromptCurve {
  archetype: Archetype;
  /** Probability that one rollout succeeds in `epoch` (1-based). */
  accuracy(epoch: number): number;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (p: number) => Math.min(1, Math.max(0, p));

export function pickArchetype(r: Rng): Archetype {
  let u = r();
  for (const a of ARCHETYPES) {
    u -= MIX[a];
    if (u < 0) return a;
  }
  return "slow";
}

export function makeCurve(archetype: Archetype, r: Rng, epochs: number): PromptCurve {
  const lo = 0.02 + 0.1 * r();
  const hi = 0.75 + 0.25 * r();
  switch (archetype) {
    case "never": {
      const p = 0.04 * r();
      return { archetype, accuracy: () => p };
    }
    case "solved": {
      const p = 0.85 + 0.15 * r();
      return { archetype, accuracy: () => p };
    }
    case "fast": {
      const mid = 1.5 + 2.5 * r();
      const k = 1.5 + 1.5 * r();
      return { archetype, accuracy: (e) => lo + (hi - lo) * logistic(k * (e - mid)) };
    }
    case "slow": {
      const mid = epochs * (0.35 + 0.45 * r());
      const k = 8 / Math.max(4, epochs) + 0.3 * r();
      return { archetype, accuracy: (e) => lo + (hi - lo) * logistic(k * (e - mid)) };
    }
    case "unstable": {
      const base = 0.3 + 0.4 * r();
      const seed = Math.floor(r() * 2 ** 31);
      return { archetype, accuracy: (e) => clamp(base + 0.7 * (mulberry32(seed + e * 7919)() - 0.5)) };
    }
    case "forgotten": {
      const peak = Math.max(2, epochs * (0.2 + 0.3 * r()));
      const fall = peak + 1 + epochs * 0.25 * r();
      return {
        archetype,
        accuracy: (e) => clamp(lo + (hi - lo) * logistic(2 * (e - peak / 2)) - (hi - lo) * logistic(1.5 * (e - fall))),
      };
    }
  }
}
