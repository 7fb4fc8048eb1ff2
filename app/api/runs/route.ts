import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeEvent, safeFileName, uploadFieldsSchema, uploadLogFields, type UploadEvent } from "../../../lib/view/upload-events";
import { DATASET_EXTENSIONS, isDatasetFile, isLogFile } from "../../../lib/view/upload-files";
import { forgetRun } from "../../_server/scored-runs";

export const dynamic = "force-dynamic";

/** Browser uploads are for small runs; the CLI reads big ones in place. */
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/**
 * Ingest from the browser: multipart form (fields of the CLI's ingest plus files "logs" and
 * an optional "dataset"), written as they came (bytes: Parquet stays binary) to a temporary
 * folder, logs in train/ and the dataset beside it, and ingested by lib/ingest's ingestRun
 * in a child process (ingest keeps both cores busy; the server must keep answering pages).
 * The answer is a stream of NDJSON events (lib/view/upload-events), ending in done or error.
 */
export async function POST(request: Request) {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_UPLOAD_BYTES) {
    return Response.json({ error: `This upload is ${(length / 1024 ** 3).toFixed(1)} GB; the browser takes runs up to 2 GB. Use \`npx lim ingest <folder> --name <run>\` for big runs.` }, { status: 413 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    return Response.json({ error: `Could not read the upload as multipart form data: ${(error as Error).message}` }, { status: 400 });
  }
  const fields = uploadFieldsSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!fields.success) return Response.json({ error: fields.error.issues[0].message }, { status: 400 });
  const logs = form.getAll("logs").filter((v): v is File => typeof v !== "string");
  const datasetEntry = form.get("dataset");
  const dataset = datasetEntry && typeof datasetEntry !== "string" && datasetEntry.size > 0 ? datasetEntry : null;
  const format = fields.data.format;
  if (logs.length === 0) return Response.json({ error: "No log files were uploaded: choose a run folder or its step files." }, { status: 400 });
  const names = new Set<string>();
  for (const f of logs) {
    const name = safeFileName(f.name);
    if (!name || !isLogFile(name, format)) {
      return Response.json({ error: `"${f.name}" is not a reward log${format === "auto" ? "" : ` of format ${format}`} (step_N.json, N.jsonl, completions_N.parquet, train_data_stepN.jsonl, .jsonl or .csv).` }, { status: 400 });
    }
    if (names.has(name)) return Response.json({ error: `Two uploaded files are named ${name}; upload one run at a time.` }, { status: 400 });
    names.add(name);
  }
  if (dataset && !isDatasetFile(dataset.name)) {
    return Response.json({ error: `The dataset "${dataset.name}" must be a ${DATASET_EXTENSIONS.join(", ")} file.` }, { status: 400 });
  }
  // The dataset's format follows its extension: an unusable name keeps the extension.
  const datasetName = dataset ? safeFileName(dataset.name) ?? `dataset${dataset.name.slice(dataset.name.lastIndexOf(".")).toLowerCase()}` : null;

  const dir = await mkdtemp(path.join(tmpdir(), "lim-upload-"));
  try {
    const train = path.join(dir, "train");
    await mkdir(train);
    for (const f of logs) await writeFile(path.join(train, safeFileName(f.name)!), Buffer.from(await f.arrayBuffer()));
    if (dataset && datasetName) await writeFile(path.join(dir, datasetName), Buffer.from(await dataset.arrayBuffer()));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return Response.json({ error: `Could not store the upload in ${tmpdir()}: ${(error as Error).message}` }, { status: 500 });
  }

  const job = {
    path: path.join(dir, "train"),
    name: fields.data.name,
    dataset: datasetName ? path.join(dir, datasetName) : undefined,
    sourceLabel: `upload: ${logs.length} files${dataset ? ` + ${dataset.name}` : ""}`,
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
  const child = spawn(process.execPath, [path.join(/*turbopackIgnore: true*/ process.cwd(), "app/_server/ingest-child.mjs"), JSON.stringify(job)], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  request.signal.addEventListener("abort", () => child.kill("SIGTERM"));

  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let finished = false;
      let stderr = "";
      const send = (e: UploadEvent) => {
        if (finished) return;
        if (e.type === "done" || e.type === "error") finished = true;
        try {
          controller.enqueue(encoder.encode(encodeEvent(e)));
        } catch {
          // The browser went away; the child is being stopped.
        }
      };
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
      child.on("close", async (code, signal) => {
        if (!finished) {
          const why = stderr.trim().split("\n").slice(-3).join("\n") || (signal ? `stopped by ${signal}` : `exit code ${code}`);
          send({ type: "error", message: `Ingest failed: ${why}` });
        }
        forgetRun();
        await rm(dir, { recursive: true, force: true }).catch(() => {});
        try {
          controller.close();
        } catch {}
      });
    },
    cancel() {
      child.kill("SIGTERM");
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no" } });
}
