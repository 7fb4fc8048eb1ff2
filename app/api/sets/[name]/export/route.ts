import { setExport } from "../../../../../lib/sets";
import { setErrorResponse, formatParam, onlyParams } from "../../../../_server/set-errors";

export const dynamic = "force-dynamic";

const CONTENT_TYPES = { jsonl: "application/x-ndjson; charset=utf-8", json: "application/json; charset=utf-8", parquet: "application/vnd.apache.parquet" } as const;

/** `?format=jsonl|json|parquet` (default: the set's own): the bytes `lim sets export <set> --format F` writes. */
export async function GET(request: Request, ctx: { params: Promise<{ name: string }> }) {
  try {
    const { name } = await ctx.params;
    const params = new URL(request.url).searchParams;
    onlyParams(params, ["format"]);
    const e = await setExport(name, formatParam(params.get("format")));
    const file = `${name.replace(/[^A-Za-z0-9._-]+/g, "_")}.${e.format}`;
    return new Response(new Uint8Array(e.bytes.buffer as ArrayBuffer, e.bytes.byteOffset, e.bytes.byteLength), {
      headers: {
        "Content-Type": CONTENT_TYPES[e.format],
        "Content-Disposition": `attachment; filename="${file}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Export-Sha256": e.sha256,
      },
    });
  } catch (error) {
    return setErrorResponse(error);
  }
}
