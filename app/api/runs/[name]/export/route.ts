import { PassThrough, Readable } from "node:stream";
import { exportFile, type ExportFormat } from "../../../../../lib/export/export-file";
import type { ScoredRun } from "../../../../../lib/runs/score-run";
import { exportFileName, parseScoreQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getScoredRun } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  json: "application/json; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

/**
 * The curated set in the asked format (`format=jsonl|json|parquet`, default jsonl): exactly
 * the bytes `lim export <run> --format F` writes with the same parameters, both through
 * lib/export's exportFile. JSONL and JSON stream as they are written; Parquet is written
 * whole first, so a failure is an error status rather than a truncated file (a curated set
 * is a small file).
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  let scored: ScoredRun;
  let q: ReturnType<typeof parseScoreQuery>;
  try {
    const { name } = await ctx.params;
    q = parseScoreQuery(new URL(request.url).searchParams);
    scored = (await getScoredRun(name, q.overrides)).scored;
  } catch (error) {
    return errorResponse(error);
  }
  const opts = { format: q.format, threshold: q.threshold, withScores: q.withScores };
  const headers = {
    "Content-Type": CONTENT_TYPES[q.format],
    "Content-Disposition": `attachment; filename="${exportFileName(scored.run.name, q.threshold, q.format)}"`,
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
