import type { LimResult } from "../lim/types";
import { definedValues, percentileInPlace } from "./order-statistics";
import { hasTrajectory, mean, std } from "./trajectory";

/** Dataset cartography's regions; a prompt without a trajectory has none (code 0). */
export const REGIONS = ["ambiguous", "easy-to-learn", "hard-to-learn"] as const;
export type Region = (typeof REGIONS)[number];
/** Region codes: 0 none, then 1 + the index in REGIONS. */
export const REGION_CODES = { none: 0, ambiguous: 1, "easy-to-learn": 2, "hard-to-learn": 3 } as const;

export function isRegion(s: unknown): s is Region {
  return (REGIONS as readonly unknown[]).includes(s);
}

export const AMBIGUOUS_PERCENTILE = 67;

export interface CartographyMap {
  /** Per prompt: mean accuracy; NaN without a trajectory. */
  confidence: Float64Array;
  /** Per prompt: standard deviation of the accuracies (population); NaN without a trajectory. */
  variability: Float64Array;
  /** Per prompt: REGION_CODES. */
  region: Uint8Array;
  /** The 67th percentile of variability over the prompts with a trajectory (NaN when none): ambiguous from here up. */
  ambiguousFrom: number;
}

/**
 * The map in one pass, plus a linear-time percentile of the variabilities for the cut
 * (numpy's default method, see percentileInPlace). Ambiguous: variability
 * at or above the cut; of the rest, easy-to-learn when confidence >= 0.5, else hard-to-learn
 * (where never-solved prompts land, and where the paper found label errors).
 */
export function cartography(lim: LimResult): CartographyMap {
  const K = lim.epochs;
  const P = lim.prompts;
  const confidence = new Float64Array(P).fill(NaN);
  const variability = new Float64Array(P).fill(NaN);
  for (let p = 0; p < P; p++) {
    if (!hasTrajectory(lim, p)) continue;
    confidence[p] = mean(lim.filled, p * K, K);
    variability[p] = std(lim.filled, p * K, K);
  }
  const ambiguousFrom = percentileInPlace(definedValues(variability), AMBIGUOUS_PERCENTILE);
  const region = new Uint8Array(P);
  for (let p = 0; p < P; p++) {
    if (Number.isNaN(variability[p])) continue;
    if (variability[p] >= ambiguousFrom) region[p] = REGION_CODES.ambiguous;
    else region[p] = confidence[p] >= 0.5 ? REGION_CODES["easy-to-learn"] : REGION_CODES["hard-to-learn"];
  }
  return { confidence, variability, region, ambiguousFrom };
}
