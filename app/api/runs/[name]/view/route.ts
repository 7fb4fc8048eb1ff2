import { parseScoreQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getRunViewPayload } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * The run page's data for the given scoring parameters: one binary body (lib/view/run-view-bytes.ts:
 * a JSON header, then the scores, exclusion codes, rollouts and packed accuracies as typed
 * arrays). No prompt texts: those come from the texts route, a page of rows at a time.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const query = new URL(request.url).searchParams;
    query.delete("threshold"); // thresholds stay in the browser
    const { overrides } = parseScoreQuery(query);
    const gz = await getRunViewPayload(name, overrides);
    // Gzipped once per scored run, sent as an opaque body (Next drops a route's
    // Content-Encoding); the run page inflates it with DecompressionStream.
    // `curl ... | gunzip` reads it by hand.
    return new Response(new Uint8Array(gz.buffer as ArrayBuffer, gz.byteOffset, gz.byteLength), {
      headers: { "Content-Type": "application/octet-stream", "x-body-encoding": "gzip", "Cache-Control": "no-store, no-transform" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
