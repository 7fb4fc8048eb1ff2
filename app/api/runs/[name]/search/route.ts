import { searchPrompts } from "../../../../../lib/view/prompt-search";
import { parseTextQuery, QueryError } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts, searchIndexOf } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * `GET /api/runs/<name>/search?q=words` (plus the page's scoring parameters): the ordinals of
 * the prompts whose question holds every word of q, any case (lib/view/table-order.ts
 * matchQuery's rule), ascending, as little-endian uint32 (application/octet-stream);
 * `x-prompt-count` says how many prompts were searched.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const { own } = parseTextQuery(new URL(request.url).searchParams, ["q"]);
    const t = await getRunTexts(name);
    const hits = await searchPrompts(await searchIndexOf(t), own.q ?? "");
    if (!hits) throw new QueryError("q holds no word to search for");
    return new Response(new Uint8Array(hits.buffer as ArrayBuffer, hits.byteOffset, hits.byteLength), {
      headers: { "Content-Type": "application/octet-stream", "x-prompt-count": String(t.count), "Cache-Control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
