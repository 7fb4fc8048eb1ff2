import { diffSets } from "../../../../../lib/sets";
import { QueryError } from "../../../../../lib/view/route-query";
import { countParam, MAX_ROWS, onlyParams, setErrorResponse } from "../../../../_server/set-errors";

export const dynamic = "force-dynamic";

const PARTS = ["only_a", "only_b", "both"] as const;

/**
 * `?with=B`: `lim sets diff <set> B --json` (only_a, only_b, both, by). With `part=only_a|only_b|both`
 * (and `offset`, `limit`), also a page of that part's rows as `rows` and its size as `total`.
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const params = new URL(request.url).searchParams;
    onlyParams(params, ["with", "part", "offset", "limit"]);
    const other = params.get("with");
    if (other === null || other === "") throw new QueryError("with is required: the other set's name");
    const part = params.get("part");
    if (part !== null && !(PARTS as readonly string[]).includes(part)) throw new QueryError(`part must be ${PARTS.join(", ")}, got "${part}"`);
    const offset = countParam(params, "offset", 0);
    const limit = countParam(params, "limit", 100, MAX_ROWS);
    const d = await diffSets(name, other, { rows: part !== null });
    const { rows, ...counts } = d;
    if (part === null || !rows) return Response.json(counts, { headers: { "Cache-Control": "no-store" } });
    const all = rows[part as (typeof PARTS)[number]];
    return Response.json({ ...counts, part, total: all.length, offset, rows: all.slice(offset, offset + limit) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return setErrorResponse(error);
  }
}
