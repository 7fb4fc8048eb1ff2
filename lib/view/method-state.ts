/**
 * The run page's method and its rule in a link: `method=variance`, then at most one of
 * `top=N` (the N highest scores), `min=T` (score >= T, for a method other than LIM, whose
 * threshold stays `threshold`) and `region=R` (cartography), and `seed=S` for RAND. Without a
 * rule the method's default applies (lib/methods' defaultRule, its budget LIM's count at the
 * page's threshold). The table's focus travels too: `category=C`, `kept=A,B` (kept by A, not
 * by B, at equal budget), `in=R` (a cartography region) and `answers=1` (the reference
 * answers column). Parsed leniently like the rest of the view; defaults left out.
 */
import type { LimResult } from "../lim/types";
import { isRegion, type Region } from "../methods/cartography";
import { CATEGORIES, type Category } from "../methods/categories";
import { isMethodName, type MethodName } from "../methods/methods";
import { isSeed } from "../methods/rand";
import { defaultRule, type Rule } from "../methods/select";

export interface MethodViewState {
  method: MethodName;
  top: number | null;
  /** A method's own threshold (not LIM's: that is the view's `threshold`). */
  min: number | null;
  region: Region | null;
  seed: number;
  /** Table focus: one category, prompts kept by one method and not another, or one region. */
  category: Category | null;
  kept: [MethodName, MethodName] | null;
  inRegion: Region | null;
  /** Show the dataset's reference answer beside each prompt. */
  answers: boolean;
}

export const DEFAULT_METHOD_VIEW: MethodViewState = { method: "lim", top: null, min: null, region: null, seed: 0, category: null, kept: null, inRegion: null, answers: false };

type Get = (key: string) => string | undefined;

export function parseMethodState(get: Get): MethodViewState {
  const method = get("method");
  const top = Number(get("top"));
  const min = get("min");
  const seed = Number(get("seed"));
  const category = get("category");
  const kept = (get("kept") ?? "").split(",");
  const m: MethodName = isMethodName(method) ? method : "lim";
  return {
    method: m,
    top: get("top") !== undefined && Number.isInteger(top) && top >= 0 && m !== "cartography" ? top : null,
    min: min !== undefined && min.trim() !== "" && Number.isFinite(Number(min)) && m !== "lim" && m !== "cartography" ? Number(min) : null,
    region: m === "cartography" && isRegion(get("region")) ? (get("region") as Region) : null,
    seed: get("seed") !== undefined && isSeed(seed) ? seed : 0,
    category: (CATEGORIES as readonly string[]).includes(category ?? "") ? (category as Category) : null,
    kept: kept.length === 2 && isMethodName(kept[0]) && isMethodName(kept[1]) && kept[0] !== kept[1] ? [kept[0], kept[1]] : null,
    inRegion: isRegion(get("in")) ? (get("in") as Region) : null,
    answers: get("answers") === "1",
  };
}

export function writeMethodState(s: MethodViewState, p: URLSearchParams): void {
  if (s.method !== "lim") p.set("method", s.method);
  if (s.top !== null) p.set("top", String(s.top));
  if (s.min !== null) p.set("min", String(s.min));
  if (s.region !== null) p.set("region", s.region);
  if (s.seed !== 0) p.set("seed", String(s.seed));
  if (s.category !== null) p.set("category", s.category);
  if (s.kept !== null) p.set("kept", s.kept.join(","));
  if (s.inRegion !== null) p.set("in", s.inRegion);
  if (s.answers) p.set("answers", "1");
}

/**
 * The rule in force. LIM's threshold is the page's; a run made from published scores
 * (`lim` null) has LIM only.
 */
export function resolveRule(s: MethodViewState, threshold: number, lim: LimResult | null): Rule {
  if (s.method === "cartography") return { kind: "region", region: s.region ?? "ambiguous" };
  if (s.top !== null) return { kind: "top", n: s.top };
  if (s.method === "lim" || !lim) return { kind: "threshold", threshold };
  if (s.min !== null) return { kind: "threshold", threshold: s.min };
  return defaultRule(s.method, lim, threshold);
}

/**
 * What selects the page's prompts, as `lim score` / `lim export` name it (`--method`, `--seed`,
 * `--threshold`, `--top`, `--region`; the export route takes the same fields). The rule is
 * always spelled out: the CLI's default budget is LIM's count at 0.6, the page's at its threshold.
 */
export function selectionFields(s: MethodViewState, rule: Rule): [string, string][] {
  const out: [string, string][] = s.method === "lim" ? [] : [["method", s.method]];
  if (s.method === "rand" && s.seed !== 0) out.push(["seed", String(s.seed)]);
  if (rule.kind === "threshold") out.push(["threshold", String(rule.threshold)]);
  else if (rule.kind === "top") out.push(["top", String(rule.n)]);
  else if (rule.kind === "region") out.push(["region", rule.region]);
  // "between" is pass-rate's default (0 < score < 1): nothing to say.
  return out;
}

export function selectionFlags(s: MethodViewState, rule: Rule): string[] {
  return selectionFields(s, rule).flatMap(([k, v]) => [`--${k}`, v]);
}
