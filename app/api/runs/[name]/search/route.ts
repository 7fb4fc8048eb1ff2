import { parseTextQuery, QueryError } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts, searchHits } from "../../../../_server/scored-runs";

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
    const hits = await searchHits(t, own.q ?? "");
    if (!hits) throw new QueryError("q holds no word to search for");
    // A copy: the hits are kept for the next search of the same words.
    const body = new Uint8Array(hits.byteLength);
    body.set(new Uint8Array(hits.buffer, hits.byteOffset, hits.byteLength));
    return new Response(body, {
      headers: { "Content-Type": "application/octet-stream", "x-prompt-count": String(t.count), "Cache-Control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
