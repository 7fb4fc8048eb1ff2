import type { Category } from "../methods/categories";
import { REGION_CODES, REGIONS, type Region } from "../methods/cartography";
import { definedValues } from "../methods/order-statistics";
import { EXCLUSION_CODES } from "../lim/types";
import type { Rule } from "../methods/select";
import type { MethodName } from "../methods/methods";
import type { MethodRun } from "./run-methods";
import type { ScoredRun } from "./score-run";
import { quantile, type ScoreSummary } from "./summarize";

/** `lim score --method M --json` for a method other than lim. Field names are a contract. */
export interface MethodSummary {
  run: string;
  method: MethodName;
  rule: Rule;
  params: ScoredRun["params"];
  prompts: number;
  /** Prompts the method gives a score (cartography: a place on the map). */
  scored: number;
  /** missingEpochs: no complete trajectory (excluded everywhere); undefinedScore: a trajectory this method cannot score (LINEAR with K < 3). */
  excluded: { total: number; missingEpochs: number; undefinedScore: number };
  selected: number;
  average: number[];
  /** Of the method's scores (cartography: of variability). */
  quantiles: { q: number; score: number }[];
  categories: Record<Category, number>;
  warnings: string[];
  /** RAND only. */
  seed?: number;
  /** Cartography only: where ambiguous starts and the prompts per region. */
  cartography?: { ambiguousFrom: number | null; regions: Record<Region, number> };
  visits?: ScoreSummary["visits"];
}

const QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

export function summarizeMethod(scored: ScoredRun, m: MethodRun, categories: Record<Category, number>, warnings: string[]): MethodSummary {
  const values = definedValues(m.scores.score).sort();
  const prompts = scored.exclusion.length;
  let missingEpochs = 0;
  for (const code of scored.exclusion) if (code === EXCLUSION_CODES["missing-epochs"]) missingEpochs++;
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
    quantiles: values.length ? QUANTILES.map((q) => ({ q, score: quantile(values, q) })) : [],
    categories,
    warnings,
    ...(m.scores.seed !== undefined ? { seed: m.scores.seed } : {}),
    ...(map ? { cartography: { ambiguousFrom: Number.isNaN(map.ambiguousFrom) ? null : map.ambiguousFrom, regions } } : {}),
    ...(scored.lim?.visits ? { visits: scored.lim.visits } : {}),
  };
}
