/** How the run page names methods, rules, categories and regions. */
import type { Region } from "../methods/cartography";
import type { Category } from "../methods/categories";
import type { MethodName } from "../methods/methods";
import type { Rule } from "../methods/select";
import { formatInt } from "./format";

export const METHOD_LABELS: Record<MethodName, string> = {
  lim: "LIM",
  variance: "Variance",
  learnability: "Learnability",
  linear: "LINEAR",
  "pass-rate": "Pass rate",
  rand: "RAND",
  cartography: "Cartography",
};

export const CATEGORY_LABELS: Record<Category, string> = {
  "never-solved": "never solved",
  "always-solved": "always solved",
  learned: "learned",
  forgotten: "forgotten",
  unstable: "unstable",
  steady: "steady",
  excluded: "excluded",
};

export const REGION_LABELS: Record<Region, string> = { ambiguous: "ambiguous", "easy-to-learn": "easy-to-learn", "hard-to-learn": "hard-to-learn" };

/** The rule in words: "LIM score ≥ 0.6", "top 1,389 by variance", "0 < pass rate < 1", "region ambiguous". */
export function ruleText(method: MethodName, rule: Rule): string {
  const name = method === "lim" ? "LIM score" : `${METHOD_LABELS[method]} score`;
  switch (rule.kind) {
    case "threshold":
      return `${name} ≥ ${rule.threshold}`;
    case "top":
      return `top ${formatInt(rule.n)} by ${METHOD_LABELS[method]}`;
    case "between":
      return `${rule.low} < ${method === "pass-rate" ? "pass rate" : name} < ${rule.high}`;
    case "region":
      return `cartography region ${REGION_LABELS[rule.region]}`;
  }
}
