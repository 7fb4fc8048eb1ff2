import { deleteRun } from "../../../../lib/db";
import { errorResponse } from "../../../_server/http-errors";
import { forgetRun } from "../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/** Deletes a run and everything stored for it (the page asks for confirmation first). */
export async function DELETE(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const deleted = await deleteRun(name);
    forgetRun();
    if (!deleted) return Response.json({ error: `no run named "${name}"` }, { status: 404 });
    return Response.json({ deleted: name });
  } catch (error) {
    return errorResponse(error);
  }
}
