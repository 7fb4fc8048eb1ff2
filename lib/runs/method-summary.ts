import type { Category } from "../methods/categories";
import { REGION_CODES, REGIONS, type Region } from "../methods/cartography";
import { definedValues } from "../methods/order-statistics";
import { EXCLUSION_CODES } from "../lim/types";
import type { Rule } from "../methods/select";
import type { MethodName } from "../methods/methods";
import type { MethodRun } from "./run-methods";
import type { ScoredRun } from "./score-run";
import { scoreQuantiles, type ScoreSummary } from "./summarize";

/**
 * `lim score --method M --json` for a method other than lim: LIM's summary fields (scored,
 * excluded, quantiles of this method's scores) plus the method's own. Field names are a contract.
 * excluded.undefinedScore counts prompts with a trajectory this method cannot score (LINEAR with K < 3).
 */
export interface MethodSummary extends Omit<ScoreSummary, "threshold"> {
  method: MethodName;
  rule: Rule;
  categories: Record<Category, number>;
  warnings: string[];
  /** RAND only. */
  seed?: number;
  /** Cartography only: where ambiguous starts and the prompts per region. */
  cartography?: { ambiguousFrom: number | null; regions: Record<Region, number> };
}

/** Prompts without a complete trajectory: excluded by every method. */
export function missingEpochCount(exclusion: Uint8Array): number {
  let n = 0;
  for (const code of exclusion) if (code === EXCLUSION_CODES["missing-epochs"]) n++;
  return n;
}

export function summarizeMethod(scored: ScoredRun, m: MethodRun, categories: Record<Category, number>, warnings: string[]): MethodSummary {
  const values = definedValues(m.scores.score).sort();
  const prompts = scored.exclusion.length;
  const missingEpochs = missingEpochCount(scored.exclusion);
  const map = m.scores.map;
  const regions = Object.fromEntries(REGIONS.map((r) => [r, 0])) as Record<Region, number>;
  if (map) for (const code of map.region) if (code !== REGION_CODES.none) regions[REGIONS[code - 1]]++;
  return {
    run: scored.run.name,
    method: m.method,
    rule: m.rule,
    params: scored.params,
    prompts,
    scored: values.length,
    excluded: { total: prompts - values.length, missingEpochs, undefinedScore: prompts - values.length - missingEpochs },
    selected: m.selection.count,
    average: scored.lim?.average ?? [],
    quantiles: scoreQuantiles(values),
    categories,
    warnings,
    ...(m.scores.seed !== undefined ? { seed: m.scores.seed } : {}),
    ...(map ? { cartography: { ambiguousFrom: Number.isNaN(map.ambiguousFrom) ? null : map.ambiguousFrom, regions } } : {}),
    ...(scored.lim?.visits ? { visits: scored.lim.visits } : {}),
  };
}
