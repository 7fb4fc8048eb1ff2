/**
 * Query fields of the data and export routes, validated strictly (a script calling the
 * export route must hear about a typo, not get a silently different file).
 */
import { z } from "zod";
import { EXPORT_FORMATS, type ExportFormat } from "../export/export-file";
import { EPOCH_MODES } from "../lim/epochs";
import { DEFAULT_THRESHOLD } from "../lim/select";
import { isRegion, REGIONS } from "../methods/cartography";
import { isMethodName, METHOD_NAMES } from "../methods/methods";
import { isSeed } from "../methods/rand";
import type { Rule } from "../methods/select";
import type { MethodChoice } from "../runs/run-methods";
import type { ScoreOverrides } from "../runs/score-run";

const finite = (field: string) =>
  z
    .string()
    .trim()
    .min(1, `${field} is empty`)
    .transform((s, ctx) => {
      const n = Number(s);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `${field} must be a number, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

const positiveInt = (field: string) =>
  finite(field).refine((n) => Number.isInteger(n) && n >= 1, `${field} must be a positive integer`);

const schema = z
  .object({
    threshold: finite("threshold").optional(),
    stepsPerEpoch: positiveInt("stepsPerEpoch").optional(),
    maxEpochs: positiveInt("maxEpochs").optional(),
    successReward: finite("successReward").optional(),
    epochs: z.enum(EPOCH_MODES, { message: 'epochs must be "steps" or "visits"' }).optional(),
    withScores: z.enum(["true", "false", "1", "0"], { message: "withScores must be true or false" }).optional(),
    format: z.enum(EXPORT_FORMATS, { message: `format must be ${EXPORT_FORMATS.join(", ")}` }).optional(),
    // The export's method and rule, read by parseMethodChoice.
    method: z.string().optional(),
    top: z.string().optional(),
    region: z.string().optional(),
    seed: z.string().optional(),
  })
  .strict();

export interface ScoreQuery {
  threshold: number;
  overrides: ScoreOverrides;
  withScores: boolean;
  /** The export's file format (the export route only). */
  format: ExportFormat;
}

export class QueryError extends Error {}

export function parseScoreQuery(params: URLSearchParams): ScoreQuery {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) raw[k] = v;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown query field ${issue.keys.map((k) => `"${k}"`).join(", ")} (expected threshold, stepsPerEpoch, maxEpochs, successReward, epochs, withScores, format, method, top, region, seed)`
        : issue.message;
    throw new QueryError(message);
  }
  const q = parsed.data;
  const overrides: ScoreOverrides = {};
  if (q.stepsPerEpoch !== undefined) overrides.stepsPerEpoch = q.stepsPerEpoch;
  if (q.maxEpochs !== undefined) overrides.maxEpochs = q.maxEpochs;
  if (q.successReward !== undefined) overrides.successReward = q.successReward;
  if (q.epochs !== undefined) overrides.epochMode = q.epochs;
  return {
    threshold: q.threshold ?? DEFAULT_THRESHOLD,
    overrides,
    withScores: q.withScores === "true" || q.withScores === "1",
    format: q.format ?? "jsonl",
  };
}

/**
 * The export route's method and rule, with `lim export`'s words and meaning: `method`, then
 * `threshold` (that method's own), `top` or `region`, and `seed` for RAND; no rule is the
 * method's default. Conflicts are refused as the CLI refuses them.
 */
export function parseMethodChoice(params: URLSearchParams): MethodChoice {
  const raw = params.get("method") ?? "lim";
  if (!isMethodName(raw)) throw new QueryError(`method must be one of ${METHOD_NAMES.join(", ")}, got "${raw}"`);
  const threshold = params.get("threshold");
  const top = params.get("top");
  const region = params.get("region");
  const seed = params.get("seed");
  if (threshold !== null && top !== null) throw new QueryError("threshold and top are two rules: give one of them");
  if (region !== null && raw !== "cartography") throw new QueryError(`region applies to method cartography only (got method ${raw})`);
  if (raw === "cartography" && (threshold !== null || top !== null)) throw new QueryError(`cartography selects by region (${REGIONS.join(", ")}), not by a score`);
  if (region !== null && !isRegion(region)) throw new QueryError(`region must be one of ${REGIONS.join(", ")}, got "${region}"`);
  if (seed !== null && (raw !== "rand" || !isSeed(Number(seed)) || seed.trim() === "")) throw new QueryError(`seed applies to method rand only, an integer 0..4294967295 (got "${seed}")`);
  const n = Number(top);
  if (top !== null && !(Number.isInteger(n) && n >= 0 && top.trim() !== "")) throw new QueryError(`top must be a whole number of prompts, got "${top}"`);
  let rule: Rule | undefined;
  if (threshold !== null) rule = { kind: "threshold", threshold: Number(threshold) };
  else if (top !== null) rule = { kind: "top", n };
  else if (region !== null && isRegion(region)) rule = { kind: "region", region };
  const limThreshold = raw === "lim" && threshold !== null ? Number(threshold) : DEFAULT_THRESHOLD;
  return { method: raw, rule, seed: seed === null ? undefined : Number(seed), limThreshold };
}

/**
 * The download name the export route gives, safe for any file system: `<run>-lim-<T>.<format>`
 * for LIM at a threshold, `<run>-<method>-<rule>.<format>` otherwise (top-500, region-ambiguous).
 */
export function exportFileName(run: string, threshold: number, format: ExportFormat = "jsonl", method = "lim", rule?: Rule): string {
  const safe = run.replace(/[^A-Za-z0-9._-]+/g, "_");
  if (!rule || (method === "lim" && rule.kind === "threshold")) return `${safe}-lim-${rule?.kind === "threshold" ? rule.threshold : threshold}.${format}`;
  const what = rule.kind === "threshold" ? rule.threshold : rule.kind === "top" ? `top-${rule.n}` : rule.kind === "region" ? `region-${rule.region}` : `${rule.low}-${rule.high}`;
  return `${safe}-${method}-${what}.${format}`;
}

/** At most this many prompts' texts per request (a screen of rows with overscan is ~60). */
export const MAX_TEXT_ORDINALS = 2000;

/** The texts route's `ordinals=3,17,42`: prompt ordinals, each a non-negative integer. */
export function parseOrdinals(value: string | null, prompts: number): number[] {
  if (value === null || value.trim() === "") throw new QueryError("ordinals is empty (expected ordinals=3,17,42)");
  const parts = value.split(",");
  if (parts.length > MAX_TEXT_ORDINALS) throw new QueryError(`at most ${MAX_TEXT_ORDINALS} ordinals per request, got ${parts.length}`);
  return parts.map((p) => {
    const s = p.trim();
    const n = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(n)) throw new QueryError(`ordinals must be non-negative integers, got "${p}"`);
    if (n >= prompts) throw new QueryError(`ordinal ${n} is out of range: the run has ${prompts} prompts`);
    return n;
  });
}

/**
 * The scoring parameters of a texts or search request (its own fields taken out first): they
 * do not change the texts, but name the scored run the page already has.
 */
export function parseTextQuery(params: URLSearchParams, own: readonly string[]): { overrides: ScoreOverrides; own: Record<string, string | null> } {
  const rest = new URLSearchParams(params);
  const values: Record<string, string | null> = {};
  for (const k of own) {
    values[k] = rest.get(k);
    rest.delete(k);
  }
  rest.delete("threshold");
  return { overrides: parseScoreQuery(rest).overrides, own: values };
}
