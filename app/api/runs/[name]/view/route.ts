import { parseScoreQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunViewPayload } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/** The run page's data for the given scoring parameters, as compact column arrays. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const query = new URL(request.url).searchParams;
    query.delete("threshold"); // thresholds stay in the browser
    const { overrides } = parseScoreQuery(query);
    const gz = await getRunViewPayload(name, overrides);
    // Gzipped JSON as an opaque body (Next drops a route's Content-Encoding); the run page
    // inflates it with DecompressionStream. `curl ... | gunzip` reads it by hand.
    return new Response(new Uint8Array(gz), {
      headers: { "Content-Type": "application/octet-stream", "x-body-encoding": "gzip", "Cache-Control": "no-store, no-transform" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
