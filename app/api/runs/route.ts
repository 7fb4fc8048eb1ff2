import { uploadAccess } from "../../_server/upload-access";
import { ingestResponse, uploadJob } from "../../_server/upload-ingest";
import { ingestQueue } from "../../_server/upload-queue";
import { lingeringAnswer } from "../../_server/upload-linger";
import { declaredTooBig, receiveUpload, removeUpload, uploadMaxBytes, UploadRefused } from "../../_server/upload-stream";
import { withSecurityHeaders } from "../../_server/security-headers";

export const dynamic = "force-dynamic";

/**
 * Ingest from the browser: a multipart form (the fields of the CLI's ingest plus files "logs"
 * and an optional "dataset") streamed to a private temporary folder as it arrives, capped on
 * its bytes (app/_server/upload-stream), then ingested in a child process, one upload at a
 * time (app/_server/upload-queue, upload-ingest). The answer is a stream of NDJSON events
 * (lib/view/upload-events), ending in done or error; a refusal is JSON with a message.
 */
export async function POST(request: Request) {
  const access = uploadAccess(request);
  if (access.kind === "deny") return answer(access.status, access.message);
  // An API path is never sent to the sign-in page (decideAccess answers 401); never let one through either.
  if (access.kind !== "allow") return answer(401, "this LIM Studio needs a token: send Authorization: Bearer <token>, or sign in at /signin");
  let maxBytes: number;
  try {
    maxBytes = uploadMaxBytes();
  } catch (error) {
    return refusal(error);
  }
  const length = Number(request.headers.get("content-length"));
  if (length > maxBytes) return refusal(declaredTooBig(length, maxBytes), { closing: request });
  const ticket = ingestQueue().admit();
  if (!ticket) {
    return refusal(new UploadRefused(503, `${ingestQueue().maxWaiting} uploads are already waiting to be ingested; try again in a minute, or use \`npx lim ingest <folder> --name <run>\`.`));
  }
  let upload;
  try {
    upload = await receiveUpload(request, { maxBytes });
  } catch (error) {
    ticket.leave();
    return refusal(error, { closing: request });
  }
  try {
    return withSecurityHeaders(ingestResponse(upload, uploadJob(upload), ticket, request.signal));
  } catch (error) {
    ticket.leave();
    await removeUpload(upload);
    return refusal(error);
  }
}

/**
 * A refusal in words. A body refused part way or declared too big (`closing`) is not read to its
 * end: the answer goes out, the body is read past for a moment so the client reads the answer
 * (app/_server/upload-linger), then the connection closes. One refused before it was touched
 * is read past by Node, so the client sees the answer, not a broken pipe.
 */
function refusal(error: unknown, opts: { closing?: Request } = {}): Response {
  if (error instanceof UploadRefused) return answer(error.status, error.message, opts);
  console.error(error);
  return answer(500, `Could not take the upload: ${error instanceof Error ? error.message : String(error)}`, opts);
}

function answer(status: number, message: string, opts: { closing?: Request } = {}): Response {
  const headers: Record<string, string> = status === 503 ? { "Retry-After": "30" } : {};
  if (opts.closing) return withSecurityHeaders(lingeringAnswer(status, { error: message }, headers, opts.closing.body));
  return withSecurityHeaders(Response.json({ error: message }, { status, headers }));
}
