import { getRun } from "../../../../../lib/db";
import { errorResponse } from "../../../../_server/http-errors";

export const dynamic = "force-dynamic";

/**
 * A run's version, for a run page following a watched run (components/run/live-refresh.tsx):
 * a few bytes, one indexed row read, so polling it every two seconds costs nothing. The page
 * refetches its data when updatedAt moves, and stops asking once live is false.
 */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const run = await getRun(name);
    if (!run) return Response.json({ error: `no run named "${name}"` }, { status: 404, headers: { "Cache-Control": "no-store" } });
    return Response.json(
      { live: run.live, updatedAt: new Date(run.updatedAt).toISOString(), lastStep: run.lastStep, sampleCount: run.sampleCount, rolloutCount: run.rolloutCount },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return errorResponse(error);
  }
}
