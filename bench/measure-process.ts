/**
 * Runs one benchmark case as its own process and measures it from outside: wall time around
 * the whole process (start-up included) and its peak RSS, through GNU time (`/usr/bin/time
 * -f %M`, the child's getrusage maxRSS) when present, else through a preload
 * (bench/maxrss-preload.mjs) that writes process.resourceUsage().maxRSS at exit. Output goes
 * to files (a score or an ingest may print a lot); a failure keeps the tail of stderr. A case
 * that outlives its timeout is killed with its whole process group.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type RssMethod = "gnu-time" | "preload";

export interface Measured {
  ok: boolean;
  wallMs: number;
  /** Peak RSS of the process (MB), null when it could not be read (killed by a signal with the preload). */
  maxRssMB: number | null;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The process's stdout (up to 1 MB). */
  stdout: string;
  stdoutBytes: number;
  /** The last ~40 lines of stderr. */
  stderrTail: string;
  /** Why it failed, in a sentence. */
  error?: string;
}

const TIME = "/usr/bin/time";
let method: RssMethod | undefined;

/** GNU time when `/usr/bin/time -f %M -o FILE true` writes a number, else the preload. */
export function rssMethod(): RssMethod {
  if (method) return method;
  method = "preload";
  if (existsSync(TIME)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "lim-bench-time-"));
    try {
      const out = path.join(dir, "rss");
      const r = spawnSync(TIME, ["-f", "%M", "-o", out, "true"], { stdio: "ignore" });
      if (r.status === 0 && /^\d+\s*$/.test(readFileSync(out, "utf8").trim().split("\n").at(-1) ?? "")) method = "gnu-time";
    } catch {
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return method;
}

/** Process groups of the cases running now, for cleanup on Ctrl-C. */
const live = new Set<number>();

export function killLiveCases(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  live.clear();
}

export interface CaseOptions {
  /** Arguments after `node` (a script and its arguments). */
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
}

function tail(file: string, lines = 40): string {
  try {
    const st = statSync(file);
    const fd = openSync(file, "r");
    const n = Math.min(st.size, 16_384);
    const buf = Buffer.alloc(n);
    readSync(fd, buf, 0, n, st.size - n);
    closeSync(fd);
    // A progress line rewritten with \r shows as its last state.
    const text = buf.toString("utf8").trimEnd().split("\n").map((l) => l.slice(l.lastIndexOf("\r") + 1));
    return text.slice(-lines).join("\n");
  } catch {
    return "";
  }
}

export async function measureCase(o: CaseOptions): Promise<Measured> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lim-bench-case-"));
  const outFile = path.join(dir, "stdout");
  const errFile = path.join(dir, "stderr");
  const rssFile = path.join(dir, "rss");
  const outFd = openSync(outFile, "w");
  const errFd = openSync(errFile, "w");
  const how = rssMethod();
  const [cmd, args, env] =
    how === "gnu-time"
      ? [TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...o.nodeArgs], o.env]
      : [process.execPath, ["--import", pathToFileURL(path.join(import.meta.dirname, "maxrss-preload.mjs")).href, ...o.nodeArgs], { ...o.env, LIM_BENCH_MAXRSS_FILE: rssFile }];
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: o.cwd, env, stdio: ["ignore", outFd, errFd], detached: true });
  closeSync(outFd);
  closeSync(errFd);
  if (child.pid) live.add(child.pid);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }, o.timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    child.once("error", () => resolve([null, "spawn error"]));
    child.once("exit", (code, sig) => resolve([code, sig]));
  });
  const wallMs = performance.now() - t0;
  clearTimeout(timer);
  if (child.pid) live.delete(child.pid);
  // GNU time ends its file with the %M line (after "Command exited with non-zero status N").
  let maxRssMB: number | null = null;
  try {
    const kb = Number(readFileSync(rssFile, "utf8").trim().split("\n").at(-1));
    if (Number.isFinite(kb) && kb > 0) maxRssMB = kb / 1024;
  } catch {}
  const stdoutBytes = statSync(outFile).size;
  const stdout = stdoutBytes <= 1 << 20 ? readFileSync(outFile, "utf8") : "";
  const stderrTail = tail(errFile);
  rmSync(dir, { recursive: true, force: true });
  const ok = !timedOut && exitCode === 0;
  const error = ok
    ? undefined
    : timedOut
      ? `timed out after ${o.timeoutMs >= 120_000 ? `${(o.timeoutMs / 60_000).toFixed(0)} min` : `${(o.timeoutMs / 1000).toFixed(0)} s`} (killed)`
      : signal
        ? `killed by ${signal}`
        : how === "gnu-time" && exitCode !== null && exitCode > 128
          ? `killed by signal ${exitCode - 128}${exitCode === 137 ? " (SIGKILL: out of memory?)" : ""}`
          : `exit code ${exitCode}`;
  return { ok, wallMs, maxRssMB, exitCode, signal, timedOut, stdout, stdoutBytes, stderrTail, error };
}
