import { promptSnippet } from "../../../../../lib/view/prompt-text";
import { parseOrdinals, parseTextQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * `GET /api/runs/<name>/texts?ordinals=3,17,42` (plus the page's scoring parameters, which
 * only name the scored run it already has): `{"ordinals":[3,17,42],"texts":["…","…","…"]}`,
 * each prompt's snippet as the table shows it (promptSnippet), in the order asked.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const { overrides, own } = parseTextQuery(new URL(request.url).searchParams, ["ordinals"]);
    const t = await getRunTexts(name, overrides);
    const ordinals = parseOrdinals(own.ordinals, t.prompts.length);
    return Response.json({ ordinals, texts: ordinals.map((o) => promptSnippet(t.prompts[o])) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
