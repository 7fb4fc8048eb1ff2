"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { formatBytes, formatDuration, formatInt } from "../../lib/view/format";
import { readEvents, runNameFromPath, uploadTooBig, type UploadEvent } from "../../lib/view/upload-events";
import { logFilesLabel, splitUpload, type UploadFormat } from "../../lib/view/upload-files";
import { filesFromDrop, filesFromInput, type PickedFile } from "./collect-files";
import { FormatSelect, UploadOptions } from "./upload-options";

type Status =
  | { kind: "idle" }
  | { kind: "sending"; loaded: number; total: number; started: number }
  | { kind: "queued"; ahead: number }
  | { kind: "ingesting"; event: Extract<UploadEvent, { type: "progress" }> }
  | { kind: "done"; run: string }
  | { kind: "error"; message: string };

/**
 * Ingest from the browser, for small runs: drop a run folder or its log files in any format
 * ingest reads (plus an optional dataset: JSON, JSONL, CSV or Parquet), watch upload and
 * ingest progress, land on the new run. Big runs belong to the CLI, which reads files in place.
 */
export function UploadForm({ maxBytes }: { maxBytes: number | null }) {
  const router = useRouter();
  const [format, setFormat] = useState<UploadFormat>("auto");
  const [picked, setPicked] = useState<PickedFile[]>([]);
  const [logs, setLogs] = useState<PickedFile[]>([]);
  const [dataset, setDataset] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [warnings, setWarnings] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const nameTouched = useRef(false);
  const busy = status.kind === "sending" || status.kind === "queued" || status.kind === "ingesting";

  // The format decides which picked files are logs: picking again or changing it re-sorts them.
  function takeLogs(files: PickedFile[], as: UploadFormat = format) {
    setPicked(files);
    const split = splitUpload(files.map((f) => f.path), as);
    const steps = split.logs.map((i) => files[i]);
    setLogs(steps);
    // A dropped run folder may carry its dataset (one other data file beside the step files): take it along.
    if (split.dataset !== null && !dataset) setDataset(files[split.dataset].file);
    if (!nameTouched.current && steps[0]) setName(runNameFromPath(steps[0].path) ?? name);
    setStatus(
      steps.length || files.length === 0
        ? { kind: "idle" }
        : { kind: "error", message: `None of the ${files.length} files is a reward log${as === "auto" ? "" : ` of format ${as}`}: expected step_N.json, N.jsonl, completions_NNNNN.parquet, train_data_stepN.jsonl, or .jsonl / .csv rows.` },
    );
  }

  function submit(form: HTMLFormElement) {
    if (logs.length === 0) {
      setStatus({ kind: "error", message: "Choose a run folder or its log files first." });
      return;
    }
    const size = logs.reduce((a, f) => a + f.file.size, 0) + (dataset?.size ?? 0);
    // The server refuses it as the bytes pass the cap; no point sending them.
    if (maxBytes !== null && size > maxBytes) {
      setStatus({ kind: "error", message: uploadTooBig(size, maxBytes) });
      return;
    }
    const body = new FormData(form);
    body.delete("logs");
    body.delete("folder");
    body.delete("dataset");
    for (const f of logs) body.append("logs", f.file, f.file.name);
    if (dataset) body.append("dataset", dataset, dataset.name);
    setWarnings([]);
    const xhr = new XMLHttpRequest();
    let seen = 0;
    let buffered = "";
    let finished = false;
    const handle = (e: UploadEvent) => {
      if (e.type === "queued") setStatus({ kind: "queued", ahead: e.ahead });
      else if (e.type === "progress") setStatus({ kind: "ingesting", event: e });
      else if (e.type === "warning") setWarnings((w) => [...w, e.message]);
      else if (e.type === "error") {
        finished = true;
        setStatus({ kind: "error", message: e.message });
      } else if (e.type === "done") {
        finished = true;
        setStatus({ kind: "done", run: e.run });
        router.push(`/runs/${encodeURIComponent(e.run)}`);
      }
    };
    const drain = () => {
      buffered += xhr.responseText.slice(seen);
      seen = xhr.responseText.length;
      try {
        const { events, rest } = readEvents(buffered);
        buffered = rest;
        events.forEach(handle);
      } catch {
        // Not our event stream (a proxy's error page, say): reported on load.
      }
    };
    const started = performance.now();
    xhr.upload.onprogress = (e) => setStatus({ kind: "sending", loaded: e.loaded, total: e.total || 1, started });
    xhr.onprogress = drain;
    xhr.onload = () => {
      drain();
      if (!finished) {
        let message = `The server answered ${xhr.status} ${xhr.statusText}.`;
        try {
          message = JSON.parse(xhr.responseText).error ?? message;
        } catch {}
        setStatus({ kind: "error", message });
      }
    };
    xhr.onerror = () => setStatus({ kind: "error", message: "The upload was interrupted: is the server still running?" });
    xhr.open("POST", "/api/runs");
    xhr.send(body);
    setStatus({ kind: "sending", loaded: 0, total: size, started });
  }

  const totalBytes = logs.reduce((a, f) => a + f.file.size, 0);
  return (
    <section className="card upload" aria-labelledby="upload-title">
      <h2 id="upload-title">Ingest a run from this browser</h2>
      <p className="sub">For small runs. Big runs: use `npx lim ingest`, which reads the files in place.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(e.currentTarget);
        }}
      >
        <div
          className={`dropzone${dragging ? " dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={async (e) => {
            e.preventDefault();
            setDragging(false);
            takeLogs(await filesFromDrop(e.dataTransfer.items));
          }}
        >
          <p>
            Drop a run folder (OpenRLHF, verl, TRL, NeMo-RL, or JSONL/CSV rows) or its log files here, or
          </p>
          <div className="dropzone-buttons">
            <label className="btn">
              Choose folder…
              <input
                className="visually-hidden"
                type="file"
                name="folder"
                // @ts-expect-error non-standard but supported by every current browser
                webkitdirectory=""
                onChange={(e) => takeLogs(filesFromInput(e.target.files))}
              />
            </label>
            <label className="btn">
              Choose log files…
              <input className="visually-hidden" type="file" name="logs" multiple accept=".json,.jsonl,.csv,.parquet" aria-label="Step files" onChange={(e) => takeLogs(filesFromInput(e.target.files))} />
            </label>
          </div>
          <p className="muted" data-testid="picked-files">
            {logs.length ? `${logFilesLabel(format, logs.length)}, ${formatBytes(totalBytes)}` : "No files chosen"}
          </p>
        </div>
        <div className="upload-fields">
          <FormatSelect
            value={format}
            onChange={(f) => {
              setFormat(f);
              takeLogs(picked, f);
            }}
          />
          <label className="field">
            Run name
            <input
              className="input"
              name="name"
              required
              value={name}
              onChange={(e) => {
                nameTouched.current = true;
                setName(e.target.value);
              }}
              placeholder="e.g. math8k-ppo"
            />
          </label>
          <label className="field">
            Steps per epoch
            <input className="input" name="stepsPerEpoch" type="number" min={1} step={1} placeholder="inferred from the log" />
          </label>
          <label className="field">
            Dataset (optional)
            <input className="input file-input" type="file" name="dataset" accept=".json,.jsonl,.csv,.parquet" aria-label="Dataset file" onChange={(e) => setDataset(e.target.files?.[0] ?? null)} />
            {dataset && <span className="muted">{dataset.name}</span>}
          </label>
          <UploadOptions format={format} />
        </div>
        <div className="upload-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? "Ingesting…" : "Ingest run"}
          </button>
          <UploadProgress status={status} />
        </div>
        {warnings.length > 0 && (
          <ul className="upload-warnings">
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        )}
      </form>
    </section>
  );
}

const STAGES: Record<string, string> = {
  dataset: "Reading the dataset",
  infer: "Finding the epoch length",
  read: "Reading the log",
  write: "Storing",
};

function UploadProgress({ status }: { status: Status }) {
  if (status.kind === "idle") return null;
  if (status.kind === "error")
    return (
      <p className="error-text upload-error" role="alert" data-testid="upload-error">
        {status.message}
      </p>
    );
  if (status.kind === "done") return <p className="muted">Ingested “{status.run}”. Opening…</p>;
  if (status.kind === "queued")
    return (
      <p className="muted" role="status" data-testid="upload-queued">
        Uploaded. Queued: {formatInt(status.ahead)} {status.ahead === 1 ? "ingest" : "ingests"} ahead of you (the server ingests one run at a time).
      </p>
    );
  if (status.kind === "sending") {
    const secs = (performance.now() - status.started) / 1000;
    const rate = status.loaded / Math.max(secs, 1e-3);
    return (
      <div className="upload-progress" role="status">
        <progress max={status.total} value={status.loaded} aria-label="Upload progress" />
        <span>
          Uploading {formatBytes(status.loaded)} of {formatBytes(status.total)}
          {secs > 0.5 ? ` · ${formatBytes(rate)}/s · ${formatDuration((status.total - status.loaded) / Math.max(rate, 1))} left` : ""}
        </span>
      </div>
    );
  }
  const e = status.event;
  const rate = e.bytes / Math.max(e.elapsedSeconds, 1e-3);
  const left = e.bytesTotal > 0 ? (e.bytesTotal - e.bytes) / Math.max(rate, 1) : NaN;
  return (
    <div className="upload-progress" role="status">
      <progress max={e.bytesTotal || 1} value={e.bytes} aria-label="Ingest progress" />
      <span>
        {STAGES[e.stage] ?? "Ingesting"}: {formatInt(e.files)} of {formatInt(e.filesTotal)} files · {formatInt(e.rollouts)} rollouts · {formatBytes(rate)}/s
        {Number.isFinite(left) ? ` · ${formatDuration(left)} left` : ""}
      </span>
    </div>
  );
}
