// Runs one browser upload's ingest in its own process (spawned by app/_server/upload-ingest.ts, one at a time):
// ingest keeps both cores busy, and the web server must keep answering meanwhile. Reads the
// job as JSON from argv, calls lib/ingest's ingestRun, and writes NDJSON events (the shapes
// of lib/view/upload-events.ts) to stdout. A failed ingest leaves no run behind.
import { register } from "tsx/esm/api";

register();
const job = JSON.parse(process.argv[2]);
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
// Messages name the uploaded file as the user knows it, not its temporary copy.
const uploadDir = job.path.replace(/\/train\/?$/, "");
const local = (text) => text.replaceAll(`${job.path}/`, "").replaceAll(`${uploadDir}/`, "").replaceAll(job.path, "the uploaded files");
const { ingestRun } = await import("../../lib/ingest/ingest-run.ts");
const { closeDb } = await import("../../lib/db/index.ts");

let last = 0;
try {
  const run = await ingestRun({
    path: job.path,
    name: job.name,
    stepsPerEpoch: job.stepsPerEpoch,
    successReward: job.successReward,
    keepExamples: job.keepExamples,
    format: job.format,
    fields: job.fields,
    epochMode: job.epochMode,
    dataset: job.dataset ? { file: job.dataset, promptField: job.promptField, idField: job.datasetIdField } : undefined,
    replace: job.replace,
    source: job.sourceLabel,
    onProgress: (p) => {
      const now = performance.now();
      if (now - last < 100 && p.filesDone < p.filesTotal) return; // ~10 events a second is plenty
      last = now;
      emit({
        type: "progress",
        stage: p.phase,
        files: p.filesDone,
        filesTotal: p.filesTotal,
        rollouts: p.rollouts,
        bytes: p.bytesDone,
        bytesTotal: p.bytesTotal,
        elapsedSeconds: p.elapsedMs / 1000,
      });
    },
    onMessage: (message) => emit({ type: "warning", message: local(message.replace(/^warning: /, "")) }),
  });
  emit({ type: "done", run: run.name, prompts: run.sampleCount, rollouts: run.rolloutCount, warnings: run.warnings });
} catch (error) {
  emit({ type: "error", message: local(error instanceof Error ? error.message : String(error)) });
  process.exitCode = 1;
} finally {
  await closeDb().catch(() => {});
}
