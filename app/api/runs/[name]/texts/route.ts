import { promptSnippet } from "../../../../../lib/view/prompt-text";
import { parseOrdinals, parseTextQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts, promptsOf } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * `GET /api/runs/<name>/texts?ordinals=3,17,42` (plus the page's scoring parameters, checked
 * but not needed: texts do not depend on them): `{"ordinals":[3,17,42],"texts":["…","…","…"]}`,
 * each prompt's snippet as the table shows it (promptSnippet), in the order asked.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const { own } = parseTextQuery(new URL(request.url).searchParams, ["ordinals"]);
    const t = await getRunTexts(name);
    const ordinals = parseOrdinals(own.ordinals, t.count);
    const prompts = await promptsOf(t, ordinals);
    return Response.json({ ordinals, texts: prompts.map((p) => promptSnippet(p)) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
