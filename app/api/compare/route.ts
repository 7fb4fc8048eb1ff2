import { joinScoredRuns, summarizeJoin } from "../../../lib/runs/compare-runs";
import { scoreRun } from "../../../lib/runs/score-run";
import { encodeCompare } from "../../../lib/view/compare-bytes";
import { parseScoreQuery, QueryError } from "../../../lib/view/route-query";
import { errorResponse } from "../../_server/http-errors";

export const dynamic = "force-dynamic";

/**
 * `GET /api/compare?a=<run>&b=<run>` (plus `threshold` and the scoring parameters, applied to
 * both, as `lim compare-runs`' flags): the join of the two runs as one binary body
 * (lib/view/compare-bytes.ts), its header the very counts `lim compare-runs A B --json` prints,
 * from the same functions (joinScoredRuns, summarizeJoin).
 */
export async function GET(request: Request) {
  try {
    const params = new URL(request.url).searchParams;
    const a = params.get("a");
    const b = params.get("b");
    if (!a || !b) throw new QueryError("a and b are required: the names of the two runs to compare");
    params.delete("a");
    params.delete("b");
    for (const k of ["format", "withScores", "method", "top", "region", "seed"]) if (params.has(k)) throw new QueryError(`unknown query field "${k}" (expected a, b, threshold, stepsPerEpoch, maxEpochs, successReward, epochs)`);
    const q = parseScoreQuery(params);
    const ra = await scoreRun(a, q.overrides);
    const rb = await scoreRun(b, q.overrides);
    const join = await joinScoredRuns(ra, rb, q.threshold);
    const bytes = encodeCompare({ header: { summary: summarizeJoin(ra, rb, join), key: join.key, threshold: q.threshold }, joined: join.joined });
    return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), { headers: { "Content-Type": "application/octet-stream", "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
