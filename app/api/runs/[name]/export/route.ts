import { exportLines } from "../../../../../lib/export/export-lines";
import { exportFileName, parseScoreQuery } from "../../../../../lib/view/route-query";
import { errorResponse } from "../../../../_server/http-errors";
import { getScoredRun } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

/**
 * The curated set as JSONL, streamed: exactly the lines `lim export <run> --threshold T`
 * writes with the same parameters (both call lib/export's exportLines).
 */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  let lines: AsyncGenerator<string>;
  let fileName: string;
  try {
    const { name } = await ctx.params;
    const q = parseScoreQuery(new URL(request.url).searchParams);
    const { scored } = await getScoredRun(name, q.overrides);
    lines = exportLines(scored, { threshold: q.threshold, withScores: q.withScores });
    fileName = exportFileName(scored.run.name, q.threshold);
  } catch (error) {
    return errorResponse(error);
  }
  const encoder = new TextEncoder();
  const BATCH = 64 * 1024;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Batch lines into ~64 kB chunks: one chunk per row would cost more than the rows.
      let chunk = "";
      try {
        while (chunk.length < BATCH) {
          const next = await lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
