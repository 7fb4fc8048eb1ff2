import { MethodRuleError } from "../../../lib/methods/select";
import { MethodUnavailableError } from "../../../lib/runs/run-methods";
import { listSets, saveSet, setNameProblem } from "../../../lib/sets";
import { parseMethodChoice, parseScoreQuery, QueryError } from "../../../lib/view/route-query";
import { setErrorResponse } from "../../_server/set-errors";

export const dynamic = "force-dynamic";

/** Every saved set, newest first: what `lim sets list --json` prints. */
export async function GET() {
  try {
    return Response.json(await listSets(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return setErrorResponse(error);
  }
}

/**
 * Saves the run page's selection: `{"run", "name", "note"?, "query"}` where `query` is the
 * export route's query string (method, rule, scoring parameters, format, withScores), read by
 * the export route's own parsers, so the set holds exactly what the page's export downloads.
 * 201 with the set; 400 for a bad name or query, 404 for an unknown run, 409 for a taken name.
 */
export async function POST(request: Request) {
  try {
    const body: unknown = await request.json().catch(() => {
      throw new QueryError("the body must be JSON: {\"run\", \"name\", \"note\", \"query\"}");
    });
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new QueryError('the body must be a JSON object: {"run", "name", "note", "query"}');
    const { run, name, note, query } = body as Record<string, unknown>;
    for (const k of Object.keys(body)) if (!["run", "name", "note", "query"].includes(k)) throw new QueryError(`unknown field "${k}" (expected run, name, note, query)`);
    if (typeof run !== "string" || run === "") throw new QueryError("run must be a run's name");
    if (typeof name !== "string") throw new QueryError("name must be a string: the set's name");
    const problem = setNameProblem(name);
    if (problem) throw new QueryError(problem);
    if (note !== undefined && note !== null && typeof note !== "string") throw new QueryError("note must be text");
    if (query !== undefined && typeof query !== "string") throw new QueryError("query must be the export's query string");
    const params = new URLSearchParams(query ?? "");
    const q = parseScoreQuery(params);
    const choice = parseMethodChoice(params);
    const text = typeof note === "string" && note.trim() !== "" ? note.trim() : null;
    try {
      const set = await saveSet({ name, run, choice, overrides: q.overrides, format: q.format, withScores: q.withScores, note: text });
      return Response.json(set, { status: 201 });
    } catch (error) {
      if (error instanceof MethodUnavailableError || error instanceof MethodRuleError) throw new QueryError(error.message);
      throw error;
    }
  } catch (error) {
    return setErrorResponse(error);
  }
}
