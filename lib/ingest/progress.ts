import type { IngestProgress } from "./progress-event";

export interface ProgressReporter {
  update(p: IngestProgress): void;
  message(msg: string): void;
  done(): void;
}

interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const PHASE: Record<IngestProgress["phase"], string> = {
  dataset: "dataset",
  infer: "pass 1/2",
  read: "reading",
  write: "writing",
};

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return bytes >= 1e7 ? `${(bytes / 1e6).toFixed(0)} MB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** One line of status: files, rollouts, throughput and time left in the current phase. */
export function progressLine(p: IngestProgress, phaseStartMs: number): string {
  const secs = Math.max(1e-3, (p.elapsedMs - phaseStartMs) / 1000);
  const rate = p.bytesDone / secs;
  const left = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : NaN;
  const parts = [PHASE[p.phase]];
  if (p.phase === "dataset") parts.push(`${size(p.bytesDone)} of ${size(p.bytesTotal)}`);
  else parts.push(`${p.filesDone}/${p.filesTotal} files`, `${p.rollouts.toLocaleString("en-US")} rollouts`);
  if (p.phase !== "write") {
    parts.push(`${(rate / 1e6).toFixed(0)} MB/s`);
    if (Number.isFinite(left) && p.bytesDone < p.bytesTotal) parts.push(`ETA ${left < 10 ? left.toFixed(1) : left.toFixed(0)} s`);
  }
  return parts.join("  ");
}

/**
 * Renders ingest progress on a stream (stderr in the CLI): a redrawn bar on a terminal,
 * a plain line every few seconds otherwise (logs and CI stay readable).
 */
export function progressReporter(out: Out, opts: { intervalMs?: number } = {}): ProgressReporter {
  const tty = out.isTTY === true;
  const interval = opts.intervalMs ?? (tty ? 100 : 3000);
  let last = 0;
  let shown = false;
  let phase: IngestProgress["phase"] | null = null;
  let phaseStart = 0;
  let latest: IngestProgress | null = null;

  const clear = () => {
    if (tty && shown) out.write("\r\x1b[K");
    shown = false;
  };
  const draw = (p: IngestProgress) => {
    const text = progressLine(p, phaseStart);
    if (!tty) return void out.write(`${text}\n`);
    const width = Math.max(20, (out.columns ?? 80) - text.length - 4);
    const frac = p.phase === "dataset" ? p.bytesDone / Math.max(1, p.bytesTotal) : p.filesDone / Math.max(1, p.filesTotal);
    const barWidth = Math.min(30, width);
    const fill = Math.round(barWidth * Math.min(1, frac));
    out.write(`\r\x1b[K[${"#".repeat(fill)}${"-".repeat(barWidth - fill)}] ${text}`);
    shown = true;
  };

  return {
    update(p) {
      if (p.phase !== phase) {
        phase = p.phase;
        phaseStart = p.elapsedMs;
        last = 0;
      }
      latest = p;
      const now = Date.now();
      const finished = p.phase === "dataset" ? p.bytesDone >= p.bytesTotal : p.filesDone >= p.filesTotal;
      if (now - last >= interval || (tty && finished)) {
        last = now;
        draw(p);
      }
    },
    message(msg) {
      clear();
      out.write(`${msg}\n`);
      if (tty && latest) draw(latest);
    },
    done() {
      clear();
    },
  };
}
