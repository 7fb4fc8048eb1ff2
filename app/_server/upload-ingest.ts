/**
 * A stored browser upload becomes an ingest: its fields are checked and turned into the job
 * the ingest child reads (app/_server/ingest-child.mjs, lib/ingest's ingestRun in its own
 * process, so the server keeps answering pages), the job waits its turn in the ingest queue,
 * and the answer is a stream of NDJSON events (lib/view/upload-events): "queued" while it
 * waits, then ingest's own, ending in done or error. The upload's folder is removed when the
 * ingest ends or the browser leaves, queued or not.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { encodeEvent, uploadFieldsSchema, uploadLogFields, type UploadEvent } from "../../lib/view/upload-events";
import type { LogFields } from "../../lib/ingest/formats/log-fields";
import { isLogFile } from "../../lib/view/upload-files";
import { forgetRun } from "./scored-runs";
import type { QueueTicket } from "./upload-queue";
import { removeUpload, UploadRefused, type ReceivedUpload } from "./upload-stream";

/** What ingest-child.mjs reads from its argument. */
export interface IngestJob {
  path: string;
  name: string;
  dataset?: string;
  sourceLabel: string;
  stepsPerEpoch?: number;
  successReward?: number;
  keepExamples?: number;
  promptField?: string;
  datasetIdField?: string;
  replace: boolean;
  format: string;
  fields?: LogFields;
  epochMode?: "steps" | "visits";
}

/** The ingest a stored upload asks for, or why not (UploadRefused, 400). */
export function uploadJob(upload: ReceivedUpload): IngestJob {
  const fields = uploadFieldsSchema.safeParse(upload.fields);
  if (!fields.success) throw new UploadRefused(400, fields.error.issues[0].message);
  const format = fields.data.format;
  if (upload.logs.length === 0) throw new UploadRefused(400, "No log files were uploaded: choose a run folder or its step files.");
  // The browser sends the format before the files; a client that sent it after them is checked here.
  const stray = upload.logs.find((f) => !isLogFile(path.basename(f.path), format));
  if (stray) throw new UploadRefused(400, `"${stray.uploadedAs}" is not a reward log of format ${format}.`);
  return {
    path: path.join(upload.dir, "train"),
    name: fields.data.name,
    dataset: upload.dataset?.path,
    sourceLabel: `upload: ${upload.logs.length} files${upload.dataset ? ` + ${upload.dataset.uploadedAs}` : ""}`,
    stepsPerEpoch: fields.data.stepsPerEpoch,
    successReward: fields.data.successReward,
    keepExamples: fields.data.keepExamples,
    promptField: fields.data.promptField,
    datasetIdField: fields.data.datasetIdField,
    replace: fields.data.replace,
    format,
    fields: uploadLogFields(fields.data),
    epochMode: fields.data.epochMode,
  };
}

/** Idle proxies close a silent response; a waiting upload repeats its place this often. */
const QUEUED_EVERY_MS = 15_000;

/** The NDJSON answer of a stored upload: waits its turn, runs its ingest, cleans up. */
export function ingestResponse(upload: ReceivedUpload, job: IngestJob, ticket: QueueTicket, signal: AbortSignal): Response {
  const gone = new AbortController();
  signal.addEventListener("abort", () => gone.abort(new Error("the browser left")), { once: true });
  const encoder = new TextEncoder();
  let finished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const send = (e: UploadEvent) => {
    if (finished) return;
    if (e.type === "done" || e.type === "error") finished = true;
    try {
      controller.enqueue(encoder.encode(encodeEvent(e)));
    } catch {
      // The browser went away; the ingest is being stopped.
    }
  };
  const close = async () => {
    await removeUpload(upload);
    try {
      controller.close();
    } catch {}
  };

  async function run() {
    let ahead = 0;
    const repeat = setInterval(() => ahead > 0 && send({ type: "queued", ahead }), QUEUED_EVERY_MS);
    let release: () => void;
    try {
      release = await ticket.turn(gone.signal, (n) => {
        ahead = n;
        send({ type: "queued", ahead: n });
      });
    } catch {
      return close(); // left while queued
    } finally {
      clearInterval(repeat);
    }
    if (gone.signal.aborted) {
      release();
      return close();
    }
    const child = spawn(process.execPath, [path.join(/*turbopackIgnore: true*/ process.cwd(), "app/_server/ingest-child.mjs"), JSON.stringify(job)], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    gone.signal.addEventListener("abort", () => child.kill("SIGTERM"), { once: true });
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        try {
          send(JSON.parse(line) as UploadEvent);
        } catch {
          // Not an event (a library's stray log line): ignore.
        }
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("close", async (code, sig) => {
      release();
      if (!finished) {
        const why = stderr.trim().split("\n").slice(-3).join("\n") || (sig ? `stopped by ${sig}` : `exit code ${code}`);
        send({ type: "error", message: `Ingest failed: ${why}` });
      }
      forgetRun();
      await close();
    });
  }

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      void run();
    },
    cancel() {
      gone.abort(new Error("the browser left"));
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no" } });
}
