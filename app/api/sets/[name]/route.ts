import { deleteSet, requireSet } from "../../../../lib/sets";
import { setErrorResponse } from "../../../_server/set-errors";

export const dynamic = "force-dynamic";

/** A set's provenance: what `lim sets show --json` prints. */
export async function GET(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    return Response.json(await requireSet((await ctx.params).name), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return setErrorResponse(error);
  }
}

/** Deletes a set (as `lim sets delete`); its run is not touched. */
export async function DELETE(_request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    await deleteSet((await ctx.params).name);
    return new Response(null, { status: 204 });
  } catch (error) {
    return setErrorResponse(error);
  }
}
