import type { LimResult } from "../lim/types";
import { cartography, type CartographyMap } from "./cartography";
import { scoreColumnName, type MethodName } from "./methods";
import { uniformDraws } from "./rand";
import { hasTrajectory, learnability, linearFit, mean, perPrompt, std } from "./trajectory";

export interface MethodScores {
  method: MethodName;
  /**
   * Per prompt (log order): higher = more wanted; NaN where the method gives no score (no
   * complete trajectory, LIM's undefined score, LINEAR with K < 3). For cartography, its
   * variability (the map's regions select, not this).
   */
  score: Float64Array;
  /** Cartography only: the map and its regions. */
  map?: CartographyMap;
  /** RAND only: the seed of the draws. */
  seed?: number;
}

export interface MethodOptions {
  /** RAND's seed (default 0). */
  seed?: number;
}

/** One method's scores over a scored run: one pass over the back-filled accuracies. */
export function methodScores(lim: LimResult, method: MethodName, opts: MethodOptions = {}): MethodScores {
  switch (method) {
    case "lim":
      return { method, score: lim.scores };
    case "variance":
      return { method, score: perPrompt(lim, std) };
    case "learnability":
      return { method, score: perPrompt(lim, learnability) };
    case "linear":
      return { method, score: perPrompt(lim, linearFit) };
    case "pass-rate":
      return { method, score: perPrompt(lim, mean) };
    case "rand": {
      const seed = opts.seed ?? 0;
      const score = uniformDraws(seed, lim.prompts);
      for (let p = 0; p < lim.prompts; p++) if (!hasTrajectory(lim, p)) score[p] = NaN;
      return { method, score, seed };
    }
    case "cartography": {
      const map = cartography(lim);
      return { method, score: map.variability, map };
    }
  }
}

/** How many prompts the method gives a score. */
export function scoredCount(s: MethodScores): number {
  let n = 0;
  for (let p = 0; p < s.score.length; p++) if (!Number.isNaN(s.score[p])) n++;
  return n;
}

/** The columns an export with scores adds for this method, in order (cartography: both axes). */
export function scoreColumns(s: MethodScores): { name: string; values: Float64Array }[] {
  if (s.map) {
    return [
      { name: scoreColumnName(s.method, "confidence"), values: s.map.confidence },
      { name: scoreColumnName(s.method, "variability"), values: s.map.variability },
    ];
  }
  return [{ name: scoreColumnName(s.method), values: s.score }];
}
