import { getDatasetRowsOfPrompts, getRun } from "../../../../../lib/db";
import { RunNotFoundError } from "../../../../../lib/runs/score-run";
import { referenceAnswer } from "../../../../../lib/view/reference-answer";
import { parseOrdinals, parseTextQuery, QueryError } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts, promptsOf } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/** A screen of rows with overscan. */
const MAX_ANSWERS = 200;

/**
 * `GET /api/runs/<name>/answers?ordinals=3,17` (plus the page's scoring parameters):
 * `{"ordinals":[3,17],"answers":["118",null]}`, each prompt's reference answer from its
 * dataset row (lib/view/reference-answer.ts; distinct answers of several rows joined by " | "),
 * null when the run has no dataset row or the row no answer field.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const { own } = parseTextQuery(new URL(request.url).searchParams, ["ordinals"]);
    const run = await getRun(name);
    if (!run) throw new RunNotFoundError(name);
    const t = await getRunTexts(name);
    const ordinals = parseOrdinals(own.ordinals, t.count);
    if (ordinals.length > MAX_ANSWERS) throw new QueryError(`at most ${MAX_ANSWERS} ordinals per request, got ${ordinals.length}`);
    const prompts = await promptsOf(t, ordinals);
    const answers = (await getDatasetRowsOfPrompts(run.id, prompts)).map((rows) => {
      const found = [...new Set(rows.map((r) => referenceAnswer(r.json)).filter((a): a is string => a !== null))];
      return found.length ? found.join(" | ") : null;
    });
    return Response.json({ ordinals, answers }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
