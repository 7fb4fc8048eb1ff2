/**
 * Query fields of the data and export routes, validated strictly (a script calling the
 * export route must hear about a typo, not get a silently different file).
 */
import { z } from "zod";
import { EXPORT_FORMATS, type ExportFormat } from "../export/export-file";
import { EPOCH_MODES } from "../lim/epochs";
import { DEFAULT_THRESHOLD } from "../lim/select";
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
        ? `unknown query field ${issue.keys.map((k) => `"${k}"`).join(", ")} (expected threshold, stepsPerEpoch, maxEpochs, successReward, epochs, withScores, format)`
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

/** The download name the export route gives: `<run>-lim-<T>.<format>`, safe for any file system. */
export function exportFileName(run: string, threshold: number, format: ExportFormat = "jsonl"): string {
  const safe = run.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${safe}-lim-${threshold}.${format}`;
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
