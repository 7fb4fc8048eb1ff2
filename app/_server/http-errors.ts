import { DatabaseBusyError } from "../../lib/db";
import { LimParamError } from "../../lib/lim/lim-score";
import { RunNotFoundError } from "../../lib/runs/score-run";
import { QueryError } from "../../lib/view/route-query";

/** A CLI ingest holds the write lock for its whole run: ask again in a few seconds. */
const BUSY_RETRY_AFTER_S = 5;

/** Maps library errors to HTTP answers with the library's own message. */
export function errorResponse(error: unknown): Response {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RunNotFoundError) return Response.json({ error: message }, { status: 404 });
  if (error instanceof QueryError || error instanceof LimParamError) return Response.json({ error: message }, { status: 400 });
  if (error instanceof DatabaseBusyError) return Response.json({ error: message }, { status: 503, headers: { "Retry-After": String(BUSY_RETRY_AFTER_S) } });
  console.error(error);
  return Response.json({ error: `Server error: ${message}` }, { status: 500 });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
