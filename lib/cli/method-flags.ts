import { DEFAULT_THRESHOLD } from "../lim/select";
import { isRegion, REGIONS } from "../methods/cartography";
import { isMethodName, METHOD_NAMES, type MethodName } from "../methods/methods";
import { isSeed } from "../methods/rand";
import type { Rule } from "../methods/select";
import type { MethodChoice } from "../runs/run-methods";
import { UsageError } from "./errors";
import { intFlag, numberFlag, stringFlag } from "./flags";

/** The flags that choose a method and its rule (`--threshold` is among the scoring flags). */
export const METHOD_OPTIONS = {
  method: { type: "string" },
  top: { type: "string" },
  seed: { type: "string" },
} as const;

export const REGION_OPTION = { region: { type: "string" } } as const;

export const METHODS_HELP =
  `  --method    ${METHOD_NAMES.join(", ")} (default lim; \`lim methods\` says what each scores)\n` +
  "  --threshold T  select score >= T;  --top N  the N highest scores (ties to the prompt seen first in the log)\n" +
  "              default: lim >= 0.6, linear >= 0.7, pass-rate 0 < score < 1, cartography region ambiguous,\n" +
  "              variance, learnability and rand the top N where N is LIM's count at its threshold\n" +
  "  --seed S    rand's seed, an integer 0..4294967295 (default 0)\n";

export function methodFlag(values: Record<string, unknown>): MethodName {
  const raw = stringFlag(values, "method") ?? "lim";
  if (!isMethodName(raw)) throw new UsageError(`--method must be one of ${METHOD_NAMES.join(", ")}, got "${raw}"`);
  return raw;
}

/** A list of methods (`--methods a,b`): each known, none twice. */
export function methodsFlag(values: Record<string, unknown>): MethodName[] {
  const raw = stringFlag(values, "methods");
  if (raw === undefined) return [...METHOD_NAMES];
  const names = raw.split(",").map((s) => s.trim());
  for (const n of names) if (!isMethodName(n)) throw new UsageError(`--methods: unknown method "${n}"; the methods are ${METHOD_NAMES.join(", ")}`);
  if (new Set(names).size !== names.length) throw new UsageError(`--methods names a method twice: "${raw}"`);
  if (names.length < 2) throw new UsageError(`--methods needs at least two methods to compare, got "${raw}"`);
  return names as MethodName[];
}

export function topFlag(values: Record<string, unknown>): number | undefined {
  if (values.top === undefined) return undefined;
  const n = Number(values.top);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--top must be a positive integer (a number of prompts), got "${values.top}"`);
  return n;
}

export function seedFlag(values: Record<string, unknown>, rand: boolean): number | undefined {
  const seed = intFlag(values, "seed", 0);
  if (seed === undefined) return undefined;
  if (!rand) throw new UsageError("--seed applies to --method rand only");
  if (!isSeed(seed)) throw new UsageError(`--seed must be an integer 0..4294967295, got "${values.seed}"`);
  return seed;
}

/**
 * The method and its rule from the flags, every conflict a usage error: --threshold and --top
 * are two rules; cartography selects by --region only, and only it does.
 */
export function methodChoice(values: Record<string, unknown>): MethodChoice {
  const method = methodFlag(values);
  const threshold = numberFlag(values, "threshold");
  const top = topFlag(values);
  const region = stringFlag(values, "region");
  if (threshold !== undefined && top !== undefined) throw new UsageError("--threshold and --top are two rules: pass one of them");
  if (region !== undefined && method !== "cartography") throw new UsageError(`--region applies to --method cartography only (got --method ${method})`);
  if (method === "cartography" && (threshold !== undefined || top !== undefined)) {
    throw new UsageError(`cartography selects by region, not by a score: pass --region ${REGIONS.join("|")}`);
  }
  if (region !== undefined && !isRegion(region)) throw new UsageError(`--region must be one of ${REGIONS.join(", ")}, got "${region}"`);
  const seed = seedFlag(values, method === "rand");
  let rule: Rule | undefined;
  if (threshold !== undefined) rule = { kind: "threshold", threshold };
  else if (top !== undefined) rule = { kind: "top", n: top };
  else if (region !== undefined) rule = { kind: "region", region: region as (typeof REGIONS)[number] };
  return { method, rule, seed, limThreshold: method === "lim" && threshold !== undefined ? threshold : DEFAULT_THRESHOLD };
}
