import { PassThrough } from "node:stream";
import { exportFile } from "../../../../lib/export/export-file";
import { selectRun } from "../../../../lib/runs/run-methods";
import { scoreRun } from "../../../../lib/runs/score-run";
import { TransferError, runSelectionSource, transferTo } from "../../../../lib/runs/transfer";
import { parseMethodChoice, parseScoreQuery, QueryError } from "../../../../lib/view/route-query";
import { errorResponse } from "../../../_server/http-errors";

export const dynamic = "force-dynamic";

const CONTENT_TYPES = { jsonl: "application/x-ndjson; charset=utf-8", json: "application/json; charset=utf-8", parquet: "application/vnd.apache.parquet" } as const;

/**
 * `GET /api/compare/transfer?from=A&to=B` (plus `threshold` and A's scoring parameters, `format`,
 * `withScores`): A's LIM selection applied to B's dataset, the bytes
 * `lim transfer A --to B --threshold T --format F` writes, through the same functions
 * (runSelectionSource, transferTo, exportFile). How many of A's prompts B has is in
 * X-Transfer-Found / X-Transfer-Wanted.
 */
export async function GET(request: Request) {
  try {
    const params = new URL(request.url).searchParams;
    const from = params.get("from");
    const to = params.get("to");
    if (!from || !to) throw new QueryError("from and to are required: the run whose selection is applied, and the run whose dataset rows are written");
    params.delete("from");
    params.delete("to");
    for (const k of ["method", "top", "region", "seed"]) if (params.has(k)) throw new QueryError(`unknown query field "${k}" (the Compare page transfers LIM's selection at threshold)`);
    const q = parseScoreQuery(params);
    const choice = parseMethodChoice(params);
    const source = await scoreRun(from, q.overrides);
    const target = await scoreRun(to);
    const method = selectRun(source, choice);
    let t;
    try {
      t = await transferTo(target, await runSelectionSource(source, method, target));
    } catch (error) {
      if (error instanceof TransferError) throw new QueryError(error.message);
      throw error;
    }
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on("data", (c: Buffer) => chunks.push(c));
    const result = await exportFile(target, { format: q.format, threshold: choice.limThreshold!, withScores: q.withScores, selection: t.selection, out });
    out.end();
    const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");
    return new Response(new Uint8Array(Buffer.concat(chunks)), {
      headers: {
        "Content-Type": CONTENT_TYPES[q.format],
        "Content-Disposition": `attachment; filename="${safe(to)}-from-${safe(from)}-lim-${choice.limThreshold}.${q.format}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Export-Rows": String(result.rows),
        "X-Transfer-Found": String(t.found),
        "X-Transfer-Wanted": String(t.wanted),
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
