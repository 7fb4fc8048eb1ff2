import { PassThrough, Readable } from "node:stream";
import { exportFile, type ExportFormat } from "../../../../../lib/export/export-file";
import { methodExportSelection } from "../../../../../lib/export/method-selection";
import { MethodRuleError } from "../../../../../lib/methods/select";
import { MethodUnavailableError, selectRun, type MethodRun } from "../../../../../lib/runs/run-methods";
import type { ScoredRun } from "../../../../../lib/runs/score-run";
import { exportFileName, parseMethodChoice, parseScoreQuery, QueryError } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getScoredRun } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  json: "application/json; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

/**
 * The curated set in the asked format (`format=jsonl|json|parquet`, default jsonl) for the
 * asked method and rule (`method`, `threshold` | `top` | `region`, `seed`, as the CLI's flags):
 * exactly the bytes `lim export <run> --method M ... --format F` writes with the same
 * parameters, both through lib/runs' selectRun and lib/export's exportFile. JSONL and JSON stream as they are written; Parquet is written
 * whole first, so a failure is an error status rather than a truncated file (a curated set
 * is a small file).
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  let scored: ScoredRun;
  let q: ReturnType<typeof parseScoreQuery>;
  let method: MethodRun;
  try {
    const { name } = await ctx.params;
    const params = new URL(request.url).searchParams;
    q = parseScoreQuery(params);
    const choice = parseMethodChoice(params);
    scored = (await getScoredRun(name, q.overrides)).scored;
    try {
      method = selectRun(scored, choice);
    } catch (error) {
      if (error instanceof MethodUnavailableError || error instanceof MethodRuleError) throw new QueryError(error.message);
      throw error;
    }
  } catch (error) {
    return errorResponse(error);
  }
  const threshold = method.method === "lim" && method.rule.kind === "threshold" ? method.rule.threshold : q.threshold;
  const opts = { format: q.format, threshold, withScores: q.withScores, selection: methodExportSelection(method) };
  const headers = {
    "Content-Type": CONTENT_TYPES[q.format],
    "Content-Disposition": `attachment; filename="${exportFileName(scored.run.name, threshold, q.format, method.method, method.rule)}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };

  if (q.format === "parquet") {
    const chunks: Buffer[] = [];
    const collect = new PassThrough();
    collect.on("data", (c: Buffer) => chunks.push(c));
    try {
      const result = await exportFile(scored, { ...opts, out: collect });
      collect.end();
      return new Response(new Uint8Array(Buffer.concat(chunks)), { headers: { ...headers, "X-Export-Rows": String(result.rows), "X-Export-Sha256": result.sha256 } });
    } catch (error) {
      return errorResponse(error);
    }
  }

  // Streamed: exportFile waits on the stream's back-pressure, and a browser that hangs up
  // destroys the stream, which ends the export.
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  exportFile(scored, { ...opts, out }).then(
    () => out.end(),
    (error: Error) => out.destroy(error),
  );
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, { headers });
}
