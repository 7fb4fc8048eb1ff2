/**
 * The selection methods beside LIM: their names (a contract of the CLI, the URL and the export
 * columns), what each scores and where it comes from. Every method reads the same back-filled
 * per-epoch accuracies as LIM (LimResult.filled); see method-scores.ts.
 */

export const METHOD_NAMES = ["lim", "variance", "learnability", "linear", "pass-rate", "rand", "cartography"] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(s: unknown): s is MethodName {
  return (METHOD_NAMES as readonly unknown[]).includes(s);
}

export interface MethodInfo {
  name: MethodName;
  /** What the score is, in one line (higher = more wanted). */
  score: string;
  /** The paper or practice it follows, and whether the formula is ours. */
  source: string;
  /** The rule used when none is given. */
  defaultRule: string;
}

export const METHODS: Record<MethodName, MethodInfo> = {
  lim: {
    name: "lim",
    score: "LIM: 1 - sum_k (r_k - avg_k)^2 / sum_k (1 - avg_k)^2, how closely a prompt follows the model's average curve",
    source: "LIMR, Li, Zou & Liu 2025 (arXiv 2502.11886)",
    defaultRule: "score >= 0.6 (or --threshold)",
  },
  variance: {
    name: "variance",
    score: "standard deviation of the per-epoch accuracies (population, as numpy's std)",
    source: "1-shot RLVR, Wang et al. 2025 (arXiv 2504.20571): rank by the variance of historical accuracy",
    defaultRule: "top N, N = LIM's count at its threshold",
  },
  learnability: {
    name: "learnability",
    score: "mean over epochs of r_k (1 - r_k), at most 0.25",
    source: "Foster & Foerster 2025 (arXiv 2502.12272): sample where p(1 - p) is high",
    defaultRule: "top N, N = LIM's count at its threshold",
  },
  linear: {
    name: "linear",
    score: "R^2 of the least-squares line through (k, r_k) when its slope is > 0, else 0; undefined with fewer than 3 epochs",
    source: "LIMR's LINEAR baseline (steady improvement); the paper gives no formula, this one is ours",
    defaultRule: "score >= 0.7",
  },
  "pass-rate": {
    name: "pass-rate",
    score: "mean of the per-epoch accuracies",
    source: "offline form of DAPO's dynamic sampling (arXiv 2503.14476) and Skywork-OR1's filter: drop always or never solved",
    defaultRule: "0 < score < 1",
  },
  rand: {
    name: "rand",
    score: "a seeded uniform draw per prompt (mulberry32); top N is a uniform sample of N prompts",
    source: "LIMR's RAND baseline; the PRNG and the draw are ours",
    defaultRule: "top N at seed 0, N = LIM's count at its threshold",
  },
  cartography: {
    name: "cartography",
    score: "a map: confidence = mean accuracy, variability = its standard deviation; regions by the 67th percentile of variability",
    source: "Dataset cartography, Swayamdipta et al. 2020 (arXiv 2009.10795)",
    defaultRule: "region ambiguous",
  },
};

/** The column a method's score takes in an export with scores: `<method>_score`, "-" written "_". */
export function scoreColumnName(method: MethodName, part?: "confidence" | "variability"): string {
  const base = method.replace(/-/g, "_");
  return part ? `${base}_${part}` : `${base}_score`;
}
