import { parseTextQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunTexts, textRankOf } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * `GET /api/runs/<name>/text-order` (plus the page's scoring parameters): per prompt in
 * ordinal order, its rank in case-insensitive order of the snippets the table shows (equal
 * texts share a rank), as little-endian uint32 (application/octet-stream). The run page sorts
 * the prompt column with these numbers; computed once per run version.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    parseTextQuery(new URL(request.url).searchParams, []);
    const rank = await textRankOf(await getRunTexts(name));
    return new Response(new Uint8Array(rank.buffer as ArrayBuffer, rank.byteOffset, rank.byteLength), {
      headers: { "Content-Type": "application/octet-stream", "Cache-Control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
