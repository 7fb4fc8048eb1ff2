import { SetExistsError, SetNotFoundError } from "../../lib/sets";
import { QueryError } from "../../lib/view/route-query";
import { EXPORT_FORMATS, type ExportFormat } from "../../lib/export/export-file";
import { errorResponse } from "./http-errors";

/** Saved sets' errors as HTTP answers in the library's words: 404 unknown set, 409 a taken name, else errorResponse. */
export function setErrorResponse(error: unknown): Response {
  if (error instanceof SetNotFoundError) return Response.json({ error: error.message }, { status: 404 });
  if (error instanceof SetExistsError) return Response.json({ error: error.message }, { status: 409 });
  return errorResponse(error);
}

/** `format=jsonl|json|parquet`, or undefined (the set's own). */
export function formatParam(value: string | null): ExportFormat | undefined {
  if (value === null) return undefined;
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) throw new QueryError(`format must be ${EXPORT_FORMATS.join(", ")}, got "${value}"`);
  return value as ExportFormat;
}

/** A non-negative whole number query value, or `fallback` when absent. */
export function countParam(params: URLSearchParams, field: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const s = params.get(field);
  if (s === null) return fallback;
  const n = Number(s);
  if (s.trim() === "" || !Number.isSafeInteger(n) || n < 0) throw new QueryError(`${field} must be a whole number, got "${s}"`);
  if (n > max) throw new QueryError(`${field} must be at most ${max}, got ${n}`);
  return n;
}

/** Refuses query fields a route does not take (a typo must not pass silently). */
export function onlyParams(params: URLSearchParams, allowed: readonly string[]): void {
  for (const k of params.keys()) if (!allowed.includes(k)) throw new QueryError(`unknown query field "${k}" (expected ${allowed.join(", ") || "none"})`);
}

/** At most this many rows per request: a page of a table, never a whole set. */
export const MAX_ROWS = 500;
