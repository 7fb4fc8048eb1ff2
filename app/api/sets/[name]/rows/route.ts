import { setIdentities } from "../../../../../lib/sets";
import { countParam, MAX_ROWS, onlyParams, setErrorResponse } from "../../../../_server/set-errors";

export const dynamic = "force-dynamic";

/**
 * `?offset=0&limit=100`: a page of the set's rows in export order, each its dataset row
 * index, id and prompt (lib/sets' row identities), and the total.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const params = new URL(request.url).searchParams;
    onlyParams(params, ["offset", "limit"]);
    const offset = countParam(params, "offset", 0);
    const limit = countParam(params, "limit", 100, MAX_ROWS);
    const rows = await setIdentities(name);
    return Response.json({ total: rows.length, offset, rows: rows.slice(offset, offset + limit) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return setErrorResponse(error);
  }
}
