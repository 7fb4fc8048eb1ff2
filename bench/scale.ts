/**
 * `npm run bench:scale`: what a run with many distinct prompts costs, at 100k and 1M prompts,
 * next to a plain single-thread JSON.parse of the same log.
 *
 * The runs (OpenRLHF layout, lib/demo/generate-scale-run.ts): N prompts of ~200 characters,
 * 6 epochs x 8 steps, every prompt once per epoch with 2 rollouts of ~20 characters, so each
 * step file holds N/8 prompts x 2 rollouts (1M: 48 files, ~4.4 GB). Generated once, seeded,
 * into .bench-cache/scale-100k and .bench-cache/scale-1m, and regenerated only when the shape
 * or the generator changes.
 *
 * Each repeat runs, per size and in this order (alternating, as the machine's speed drifts):
 *   1. plain `JSON.parse` of every step file, one thread (bench/json-parse-child.mjs);
 *   2. `lim ingest DIR --name scale --steps-per-epoch 8 --dataset DIR/dataset.json` into a
 *      fresh temporary SQLite file (migrations included, as for a new user's database);
 *   3. the same with `--keep-examples 0`, into another fresh file;
 *   4. `lim score scale --json` against the database of 2;
 *   5. with --ui (default when Chromium is installed): the built app (scripts/start.mjs)
 *      against that database, a cold Chromium: run page first visit after the server's start,
 *      warm visits, the server's RSS, threshold-change latency (bench/ui.ts's probes).
 * Every case is its own process: wall time around the whole process, peak RSS from GNU time
 * (or a preload reporting process.resourceUsage().maxRSS). A case that fails or times out is
 * reported with the tail of its stderr and the rest goes on.
 *
 * Flags: --sizes 100k,1m (default both; any N, Nk, Nm), --repeat N (medians, min and max),
 * --ui / --no-ui, --timeout-minutes M (per case; default 10 + 20 per million prompts), --json
 * (progress and the table on stderr, the figures as JSON on stdout; use `npm run -s` so npm's
 * banner stays off stdout), --generate-only (write the cached runs and stop).
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { estimateScaleRunBytes, generateScaleRun, SCALE_DEFAULTS, type ScaleRunShape } from "../lib/demo/generate-scale-run";
import { killLiveCases, measureCase, rssMethod, type Measured } from "./measure-process";
import {
  chromiumPath,
  descendants,
  freePort,
  launchChromium,
  PROBES,
  processMemory,
  root,
  runPageUsableWithMarks,
  startServer,
  stopServer,
  THRESHOLD_VALUES,
  thresholdChange,
  type Usable,
} from "./ui-helpers";

/** Bump when generate-scale-run.ts writes different bytes for the same shape. */
const GENERATOR_VERSION = 1;
const RUN_NAME = "scale";
const WARM_VISITS = 3;

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100k,1m" },
    repeat: { type: "string", default: "1" },
    ui: { type: "boolean" },
    "no-ui": { type: "boolean" },
    "timeout-minutes": { type: "string" },
    json: { type: "boolean" },
    "generate-only": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("usage: npm run bench:scale -- [--sizes 100k,1m] [--repeat N] [--ui | --no-ui] [--timeout-minutes M] [--json] [--generate-only]\n");
  process.exit(0);
}
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) fail(`--repeat must be a positive integer, got "${values.repeat}"`);
const sizes = values.sizes.split(",").map((s) => s.trim()).filter(Boolean).map(parseSize);
const timeoutOverride = values["timeout-minutes"] === undefined ? undefined : Number(values["timeout-minutes"]);
if (timeoutOverride !== undefined && !(timeoutOverride > 0)) fail(`--timeout-minutes must be a positive number, got "${values["timeout-minutes"]}"`);
const haveChromium = existsSync(chromiumPath());
const wantUi = values["no-ui"] ? false : (values.ui ?? haveChromium);

/** Progress and the table: stdout, or stderr when stdout carries the JSON. */
const say = (line = "") => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

function fail(message: string): never {
  process.stderr.write(`bench:scale: ${message}\n`);
  process.exit(2);
}

function parseSize(s: string): { label: string; prompts: number } {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s);
  if (!m) fail(`--sizes takes N, Nk or Nm (e.g. 100k,1m), got "${s}"`);
  const prompts = Math.round(Number(m[1]) * (m[2].toLowerCase() === "m" ? 1e6 : m[2].toLowerCase() === "k" ? 1e3 : 1));
  if (prompts < SCALE_DEFAULTS.stepsPerEpoch) fail(`a size must be at least ${SCALE_DEFAULTS.stepsPerEpoch} prompts, got "${s}"`);
  const label = prompts % 1e6 === 0 ? `${prompts / 1e6}m` : prompts % 1e3 === 0 ? `${prompts / 1e3}k` : String(prompts);
  return { label, prompts };
}

// ---------------------------------------------------------------------------------------------
// The generated runs

interface RunManifest {
  version: number;
  shape: ScaleRunShape;
  steps: number;
  rollouts: number;
  /** Bytes of the step files. */
  bytes: number;
  datasetBytes: number;
  promptChars: number;
  generatedSeconds: number;
}

interface PreparedRun {
  dir: string;
  manifest: RunManifest;
  /** Seconds spent generating it now, or null when the cached copy was used. */
  generatedNow: number | null;
}

const GB = (b: number) => `${(b / 1e9).toFixed(2)} GB`;

async function ensureRun(label: string, prompts: number): Promise<PreparedRun> {
  const dir = path.join(root, ".bench-cache", `scale-${label}`);
  const shape: ScaleRunShape = { prompts, ...SCALE_DEFAULTS };
  const manifestFile = path.join(dir, "manifest.json");
  if (existsSync(manifestFile)) {
    try {
      const m = JSON.parse(readFileSync(manifestFile, "utf8")) as RunManifest;
      const files = readdirSync(path.join(dir, "train")).filter((f) => /^step_\d+\.json$/.test(f)).length;
      if (m.version === GENERATOR_VERSION && JSON.stringify(m.shape) === JSON.stringify(shape) && files === m.steps && existsSync(path.join(dir, "dataset.json"))) {
        return { dir, manifest: m, generatedNow: null };
      }
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const need = estimateScaleRunBytes(shape) * 1.05 + 1e9;
  const st = statfsSync(parent);
  const free = st.bavail * st.bsize;
  if (free < need) throw new Error(`generating the ${label} run needs ~${GB(need)} free in ${parent}; ${GB(free)} is free`);
  say(`generating the ${label} run into ${dir} (once; ~${GB(estimateScaleRunBytes(shape))}, ${GB(free)} free)…`);
  const t = performance.now();
  const run = await generateScaleRun({
    dir,
    ...shape,
    onProgress: (done, steps) => {
      if (done === 0) say(`  dataset written (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      else if (done % 8 === 0 || done === steps) say(`  ${done}/${steps} step files (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    },
  });
  const generatedSeconds = (performance.now() - t) / 1000;
  const manifest: RunManifest = { version: GENERATOR_VERSION, shape, steps: run.steps, rollouts: run.rollouts, bytes: run.bytes, datasetBytes: run.datasetBytes, promptChars: run.promptChars, generatedSeconds };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  say(`  done in ${generatedSeconds.toFixed(1)} s: ${run.steps} files, ${GB(run.bytes)} of log + ${GB(run.datasetBytes)} of dataset`);
  return { dir, manifest, generatedNow: generatedSeconds };
}

// ---------------------------------------------------------------------------------------------
// The cases

interface CaseResult {
  ok: boolean;
  wallMs?: number;
  maxRssMB?: number | null;
  error?: string;
  stderrTail?: string;
  skipped?: string;
}
interface ParseResult extends CaseResult {
  inProcessMs?: number;
  rollouts?: number;
}
interface IngestResult extends CaseResult {
  /** Database file + -wal + -shm after the process exited. */
  dbBytes?: number;
}
interface ScoreResult extends CaseResult {
  prompts?: number;
  scored?: number;
  selected?: number;
}
interface UiResult extends CaseResult {
  serverStartMs?: number;
  rebuilt?: boolean;
  firstVisitMs?: number;
  firstVisitMarks?: Record<string, number>;
  warmVisitMs?: number[];
  serverRssStartMB?: number;
  serverRssMB?: number;
  serverHwmMB?: number;
  thresholdDomMs?: number[];
  thresholdPaintedMs?: number[];
}
interface RepeatResult {
  parse: ParseResult;
  ingest: IngestResult;
  ingest0: IngestResult;
  score: ScoreResult;
  ui: UiResult;
}

const limBin = path.join(root, "bin", "lim.mjs");

function fromMeasured(m: Measured): CaseResult {
  return m.ok ? { ok: true, wallMs: m.wallMs, maxRssMB: m.maxRssMB } : { ok: false, wallMs: m.wallMs, maxRssMB: m.maxRssMB, error: m.error, stderrTail: m.stderrTail };
}

function childEnv(dbFile: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: `file:${dbFile}`, NEXT_TELEMETRY_DISABLED: "1" };
}

function dbBytes(file: string): number {
  let total = 0;
  for (const ext of ["", "-wal", "-shm", "-journal"]) if (existsSync(file + ext)) total += statSync(file + ext).size;
  return total;
}

function removeDb(file: string): void {
  for (const ext of ["", "-wal", "-shm", "-journal"]) rmSync(file + ext, { force: true });
}

/** Prints a failed case's reason and stderr tail right away (the table says only "failed"). */
function reportFailure(where: string, r: CaseResult): void {
  if (r.ok || r.skipped) return;
  say(`  !! ${where} failed: ${r.error ?? "unknown error"}`);
  if (r.stderrTail) for (const line of r.stderrTail.split("\n")) say(`     | ${line}`);
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  p.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${(ms / 1000).toFixed(0)} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The server's process tree below start.mjs (next start and its workers): summed RSS, largest peak. */
function serverMemory(server: ChildProcess): { rssMB: number; hwmMB: number } {
  let rssMB = 0;
  let hwmMB = 0;
  for (const pid of descendants(server.pid!)) {
    const m = processMemory(pid);
    if (!m) continue;
    rssMB += m.rssMB;
    hwmMB = Math.max(hwmMB, m.hwmMB);
  }
  return { rssMB, hwmMB };
}

let currentServer: ChildProcess | null = null;
const tempDirs = new Set<string>();

async function uiCase(dbFile: string, timeoutMs: number): Promise<UiResult> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "lim-scale-server-"));
  tempDirs.add(logDir);
  const logFile = path.join(logDir, "server.log");
  const fd = openSync(logFile, "w");
  const logTail = () => {
    try {
      return readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n").trimEnd();
    } catch {
      return "";
    }
  };
  const r: UiResult = { ok: false };
  const t0 = performance.now();
  let browser: Awaited<ReturnType<typeof launchChromium>> | null = null;
  try {
    const port = await freePort();
    const server = await startServer({
      port,
      dbUrl: `file:${dbFile}`,
      stdio: ["ignore", fd, fd],
      detached: true,
      timeoutMs,
      env: { LIM_NO_DEMO: "1", NEXT_TELEMETRY_DISABLED: "1" },
      onSpawn: (s) => (currentServer = s),
    });
    r.serverStartMs = performance.now() - t0;
    r.rebuilt = /building the app|rebuilding/.test(readFileSync(logFile, "utf8"));
    r.serverRssStartMB = serverMemory(server).rssMB;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(timeoutMs);
    await page.addInitScript(PROBES);
    const url = `http://127.0.0.1:${port}/runs/${RUN_NAME}`;
    const first: Usable = await within(runPageUsableWithMarks(page, url), timeoutMs, "run page, first visit");
    r.firstVisitMs = first.t;
    r.firstVisitMarks = first.marks;
    r.warmVisitMs = [];
    for (let i = 0; i < WARM_VISITS; i++) r.warmVisitMs.push((await within(runPageUsableWithMarks(page, url), timeoutMs, `run page, warm visit ${i + 1}`)).t);
    const mem = serverMemory(server);
    r.serverRssMB = mem.rssMB;
    r.serverHwmMB = mem.hwmMB;
    r.thresholdDomMs = [];
    r.thresholdPaintedMs = [];
    for (const v of THRESHOLD_VALUES) {
      const x = await within(thresholdChange(page, v), Math.min(timeoutMs, 300_000), `threshold change to ${v}`);
      r.thresholdDomMs.push(x.dom);
      r.thresholdPaintedMs.push(x.painted);
    }
    r.ok = true;
  } catch (e) {
    r.error = (e as Error).message.split("\n")[0];
    r.stderrTail = logTail();
  } finally {
    await browser?.close().catch(() => {});
    if (currentServer) await stopServer(currentServer);
    currentServer = null;
    closeSync(fd);
    rmSync(logDir, { recursive: true, force: true });
    tempDirs.delete(logDir);
  }
  return r;
}

async function benchRepeat(run: PreparedRun, label: string, k: number, timeoutMs: number, ui: boolean): Promise<RepeatResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "lim-scale-"));
  tempDirs.add(tmp);
  const tag = `[${label}${repeat > 1 ? ` #${k + 1}` : ""}]`;
  const trainDir = path.join(run.dir, "train");
  const { bytes, rollouts } = run.manifest;
  const sec = (x?: number) => (x === undefined ? "?" : `${(x / 1000).toFixed(2)} s`);
  const mb = (x?: number | null) => (x == null ? "? MB" : `${x.toFixed(0)} MB`);
  try {
    // 1. JSON.parse
    const pm = await measureCase({ nodeArgs: [path.join(import.meta.dirname, "json-parse-child.mjs"), trainDir], env: process.env, cwd: root, timeoutMs });
    const parse: ParseResult = fromMeasured(pm);
    if (pm.ok) {
      try {
        const out = JSON.parse(pm.stdout.trim().split("\n").at(-1)!) as { ms: number; rollouts: number };
        parse.inProcessMs = out.ms;
        parse.rollouts = out.rollouts;
      } catch {}
    }
    if (parse.ok) say(`  ${tag} JSON.parse, 1 thread: ${sec(parse.wallMs)} (in-process ${sec(parse.inProcessMs)}), peak RSS ${mb(parse.maxRssMB)}`);
    reportFailure(`${tag} JSON.parse`, parse);

    // 2. and 3. ingest, default and --keep-examples 0
    const ingestArgs = ["ingest", run.dir, "--name", RUN_NAME, "--steps-per-epoch", String(SCALE_DEFAULTS.stepsPerEpoch), "--dataset", path.join(run.dir, "dataset.json")];
    const dbA = path.join(tmp, "scale.db");
    const ingest: IngestResult = fromMeasured(await measureCase({ nodeArgs: [limBin, ...ingestArgs], env: childEnv(dbA), cwd: root, timeoutMs }));
    ingest.dbBytes = dbBytes(dbA);
    if (ingest.ok) {
      const s = ingest.wallMs! / 1000;
      say(
        `  ${tag} lim ingest: ${sec(ingest.wallMs)}, ${(bytes / 1e6 / s).toFixed(0)} MB/s, ${Math.round(rollouts / s).toLocaleString("en-US")} rollouts/s, ` +
          `peak RSS ${mb(ingest.maxRssMB)}, database ${(ingest.dbBytes / 1e6).toFixed(0)} MB (${((100 * ingest.dbBytes) / bytes).toFixed(1)}% of the log)`,
      );
    }
    reportFailure(`${tag} lim ingest`, ingest);

    const dbB = path.join(tmp, "scale-keep0.db");
    const ingest0: IngestResult = fromMeasured(await measureCase({ nodeArgs: [limBin, ...ingestArgs, "--keep-examples", "0"], env: childEnv(dbB), cwd: root, timeoutMs }));
    ingest0.dbBytes = dbBytes(dbB);
    removeDb(dbB);
    if (ingest0.ok) say(`  ${tag} lim ingest --keep-examples 0: ${sec(ingest0.wallMs)}, peak RSS ${mb(ingest0.maxRssMB)}, database ${(ingest0.dbBytes / 1e6).toFixed(0)} MB`);
    reportFailure(`${tag} lim ingest --keep-examples 0`, ingest0);

    // 4. score, against the default ingest's database
    let score: ScoreResult;
    if (!ingest.ok) score = { ok: false, skipped: "the default ingest failed" };
    else {
      const sm = await measureCase({ nodeArgs: [limBin, "score", RUN_NAME, "--json"], env: childEnv(dbA), cwd: root, timeoutMs });
      score = fromMeasured(sm);
      if (sm.ok) {
        try {
          const s = JSON.parse(sm.stdout) as { prompts: number; scored: number; selected: number };
          Object.assign(score, { prompts: s.prompts, scored: s.scored, selected: s.selected });
        } catch {}
        say(`  ${tag} lim score --json: ${sec(score.wallMs)}, peak RSS ${mb(score.maxRssMB)} (${score.prompts?.toLocaleString("en-US")} prompts, ${score.scored?.toLocaleString("en-US")} scored, ${score.selected?.toLocaleString("en-US")} selected)`);
      }
      reportFailure(`${tag} lim score`, score);
    }

    // 5. the run page
    let uiResult: UiResult;
    if (!ui) uiResult = { ok: false, skipped: "--no-ui, or no Chromium" };
    else if (!ingest.ok) uiResult = { ok: false, skipped: "the default ingest failed" };
    else {
      uiResult = await uiCase(dbA, timeoutMs);
      if (uiResult.ok) {
        const m = uiResult.firstVisitMarks ?? {};
        const part = (a: string, b: string) => (m[a] !== undefined && m[b] !== undefined ? `${(m[b] - m[a]).toFixed(0)} ms` : "?");
        say(
          `  ${tag} run page: server start ${sec(uiResult.serverStartMs)}${uiResult.rebuilt ? " (rebuilt the app first)" : ""}, first visit ${uiResult.firstVisitMs!.toFixed(0)} ms ` +
            `(data request at ${m["lim:view-fetch"]?.toFixed(0) ?? "?"} ms, data in ${part("lim:view-fetch", "lim:view-received")}, parse ${part("lim:view-received", "lim:view-parsed")}, columns ${part("lim:view-parsed", "lim:model-built")}), ` +
            `warm ${uiResult.warmVisitMs!.map((x) => x.toFixed(0)).join(", ")} ms, server RSS ${mb(uiResult.serverRssMB)} (at start ${mb(uiResult.serverRssStartMB)}), ` +
            `threshold change painted median ${stat(uiResult.thresholdPaintedMs!).median.toFixed(0)} ms (worst ${Math.max(...uiResult.thresholdPaintedMs!).toFixed(0)} ms)`,
        );
      }
      reportFailure(`${tag} run page`, uiResult);
    }
    return { parse, ingest, ingest0, score, ui: uiResult };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    tempDirs.delete(tmp);
  }
}

// ---------------------------------------------------------------------------------------------
// Figures

interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s.at(-1)!, n: s.length };
}

type Case = keyof RepeatResult;
interface Metric {
  key: string;
  label: string;
  case: Case;
  get: (r: RepeatResult, run: RunManifest) => number | undefined;
  fmt: (x: number) => string;
  /** Also needs these cases to have succeeded (ratios). */
  also?: Case[];
}

const secs = (msv: number) => (msv >= 100_000 ? `${(msv / 1000).toFixed(0)} s` : `${(msv / 1000).toFixed(2)} s`);
const msFmt = (x: number) => `${x.toFixed(0)} ms`;
const mbFmt = (x: number) => `${x.toLocaleString("en-US", { maximumFractionDigits: 0 })} MB`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const ratio = (x: number) => `${x.toFixed(2)}x`;

const METRICS: Metric[] = [
  { key: "parseMs", label: "plain `JSON.parse` of the step files, 1 thread: time", case: "parse", get: (r) => r.parse.wallMs, fmt: secs },
  { key: "parseRssMB", label: "plain `JSON.parse`: peak RSS", case: "parse", get: (r) => r.parse.maxRssMB ?? undefined, fmt: mbFmt },
  { key: "ingestMs", label: "`lim ingest` (default: 2 examples per prompt and epoch): time", case: "ingest", get: (r) => r.ingest.wallMs, fmt: secs },
  { key: "ingestMBps", label: "`lim ingest`: MB/s of log", case: "ingest", get: (r, m) => m.bytes / 1e6 / (r.ingest.wallMs! / 1000), fmt: (x) => x.toFixed(0) },
  { key: "ingestRolloutsPerS", label: "`lim ingest`: rollouts/s", case: "ingest", get: (r, m) => m.rollouts / (r.ingest.wallMs! / 1000), fmt: int },
  { key: "ingestRssMB", label: "`lim ingest`: peak RSS", case: "ingest", get: (r) => r.ingest.maxRssMB ?? undefined, fmt: mbFmt },
  { key: "dbMB", label: "database file (with -wal, -shm)", case: "ingest", get: (r) => r.ingest.dbBytes! / 1e6, fmt: mbFmt },
  { key: "dbShare", label: "database / log bytes", case: "ingest", get: (r, m) => (100 * r.ingest.dbBytes!) / m.bytes, fmt: (x) => `${x.toFixed(1)}%` },
  { key: "ingest0Ms", label: "`lim ingest --keep-examples 0`: time", case: "ingest0", get: (r) => r.ingest0.wallMs, fmt: secs },
  { key: "ingest0RssMB", label: "`lim ingest --keep-examples 0`: peak RSS", case: "ingest0", get: (r) => r.ingest0.maxRssMB ?? undefined, fmt: mbFmt },
  { key: "ingest0DbMB", label: "`--keep-examples 0` database file", case: "ingest0", get: (r) => r.ingest0.dbBytes! / 1e6, fmt: mbFmt },
  { key: "scoreMs", label: "`lim score scale --json` (new process): time", case: "score", get: (r) => r.score.wallMs, fmt: secs },
  { key: "scoreRssMB", label: "`lim score`: peak RSS", case: "score", get: (r) => r.score.maxRssMB ?? undefined, fmt: mbFmt },
  { key: "ingestOverParse", label: "ratio: ingest / JSON.parse", case: "ingest", also: ["parse"], get: (r) => r.ingest.wallMs! / r.parse.wallMs!, fmt: ratio },
  { key: "defaultOverKeep0", label: "ratio: ingest default / --keep-examples 0", case: "ingest", also: ["ingest0"], get: (r) => r.ingest.wallMs! / r.ingest0.wallMs!, fmt: ratio },
  { key: "serverStartMs", label: "server start (start.mjs until `/` answers, runs list scored)", case: "ui", get: (r) => r.ui.serverStartMs, fmt: secs },
  { key: "firstVisitMs", label: "run page first visit after server start (histogram, count, rows)", case: "ui", get: (r) => r.ui.firstVisitMs, fmt: msFmt },
  { key: "warmVisitMs", label: `run page warm visit (median of ${WARM_VISITS})`, case: "ui", get: (r) => (r.ui.warmVisitMs ? stat(r.ui.warmVisitMs).median : undefined), fmt: msFmt },
  { key: "serverRssMB", label: "server RSS after the visits (next start)", case: "ui", get: (r) => r.ui.serverRssMB, fmt: mbFmt },
  { key: "thresholdPaintedMs", label: `threshold change, painted (median of ${THRESHOLD_VALUES.length})`, case: "ui", get: (r) => (r.ui.thresholdPaintedMs ? stat(r.ui.thresholdPaintedMs).median : undefined), fmt: msFmt },
  { key: "thresholdWorstMs", label: "threshold change, painted, worst", case: "ui", get: (r) => (r.ui.thresholdPaintedMs ? Math.max(...r.ui.thresholdPaintedMs) : undefined), fmt: msFmt },
];

interface SizeReport {
  label: string;
  prompts: number;
  dir: string;
  run?: RunManifest;
  generatedNowSeconds?: number | null;
  error?: string;
  loadStart?: number[];
  loadEnd?: number[];
  repeats: RepeatResult[];
  summary: Record<string, Stat>;
  /** Per metric with no figure: "failed" or "skipped". */
  missing: Record<string, string>;
}

function summarize(rep: SizeReport): void {
  for (const m of METRICS) {
    const xs: number[] = [];
    let failed = false;
    for (const r of rep.repeats) {
      const cases = [m.case, ...(m.also ?? [])];
      if (cases.some((c) => !r[c].ok)) {
        failed ||= cases.some((c) => !r[c].ok && !r[c].skipped);
        continue;
      }
      const x = m.get(r, rep.run!);
      if (x !== undefined && Number.isFinite(x)) xs.push(x);
    }
    if (xs.length) rep.summary[m.key] = stat(xs);
    else rep.missing[m.key] = rep.error ? "not run" : failed ? "failed" : "skipped";
  }
}

function cell(rep: SizeReport, m: Metric): string {
  const s = rep.summary[m.key];
  if (!s) return rep.missing[m.key] ?? "";
  const note = m.key === "serverStartMs" && rep.repeats.some((r) => r.ui.rebuilt) ? " (start.mjs rebuilt the app first)" : "";
  return (s.n > 1 ? `${m.fmt(s.median)} (${m.fmt(s.min)} to ${m.fmt(s.max)})` : m.fmt(s.median)) + note;
}

const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
const loadText = (l?: number[]) => (l ? l.map((x) => x.toFixed(2)).join(" ") : "?");

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
}

// ---------------------------------------------------------------------------------------------

function cleanup(): void {
  killLiveCases();
  if (currentServer?.pid) {
    try {
      process.kill(-currentServer.pid, "SIGKILL");
    } catch {}
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    process.stderr.write(`\nbench:scale: ${sig}: stopping the running case\n`);
    cleanup();
    process.exit(130);
  });
}

async function warmUp(): Promise<void> {
  const warmDir = mkdtempSync(path.join(os.tmpdir(), "lim-scale-warm-"));
  tempDirs.add(warmDir);
  const warm = await measureCase({ nodeArgs: [limBin, "runs", "--json"], env: childEnv(path.join(warmDir, "warm.db")), cwd: root, timeoutMs: 600_000 });
  rmSync(warmDir, { recursive: true, force: true });
  tempDirs.delete(warmDir);
  if (!warm.ok) reportFailure("warm-up (`lim runs --json` on an empty database)", fromMeasured(warm));
}

async function main(): Promise<void> {
  const loadStart = load();
  const uiNote = wantUi
    ? existsSync(path.join(root, ".next", "BUILD_ID"))
      ? "on"
      : "on (no build yet: start.mjs builds the app before the first server start)"
    : haveChromium
      ? "off (--no-ui)"
      : `off (no Chromium at ${chromiumPath()})`;
  say(`bench:scale: ${machine()}; sizes ${sizes.map((s) => s.label).join(", ")}; repeat ${repeat}; peak RSS via ${rssMethod() === "gnu-time" ? "GNU time (%M)" : "a maxRSS preload"}; browser part ${uiNote}`);
  say(`load average at start: ${loadText(loadStart)}`);

  // Compile the CLI once (tsx caches it), so the first measured case does not pay for it.
  if (!values["generate-only"]) await warmUp();

  const reports: SizeReport[] = [];
  for (const { label, prompts } of sizes) {
    const rep: SizeReport = { label, prompts, dir: path.join(root, ".bench-cache", `scale-${label}`), repeats: [], summary: {}, missing: {} };
    reports.push(rep);
    say();
    try {
      const run = await ensureRun(label, prompts);
      rep.run = run.manifest;
      rep.generatedNowSeconds = run.generatedNow;
      const m = run.manifest;
      say(
        `${label}: ${m.shape.prompts.toLocaleString("en-US")} prompts (~${m.promptChars.toFixed(0)} chars), ${m.shape.epochs} epochs x ${m.shape.stepsPerEpoch} steps, ` +
          `${m.shape.rolloutsPerPrompt} rollouts: ${m.steps} files, ${GB(m.bytes)}, ${m.rollouts.toLocaleString("en-US")} rollouts (${run.dir}` +
          `${run.generatedNow === null ? `, cached; generated in ${m.generatedSeconds.toFixed(1)} s` : ""})`,
      );
      if (values["generate-only"]) continue;
      const st = statfsSync(os.tmpdir());
      if (st.bavail * st.bsize < m.bytes) say(`  warning: ${GB(st.bavail * st.bsize)} free in ${os.tmpdir()}, less than the log's size; the databases may not fit`);
      const timeoutMs = (timeoutOverride ?? 10 + (20 * prompts) / 1e6) * 60_000;
      rep.loadStart = load();
      say(`  load average: ${loadText(rep.loadStart)}; timeout per case ${(timeoutMs / 60_000).toFixed(timeoutMs < 120_000 ? 1 : 0)} min`);
      for (let k = 0; k < repeat; k++) rep.repeats.push(await benchRepeat(run, label, k, timeoutMs, wantUi));
      rep.loadEnd = load();
      say(`  load average at the end of ${label}: ${loadText(rep.loadEnd)}`);
    } catch (e) {
      rep.error = (e as Error).message;
      say(`  !! ${label}: ${rep.error}`);
    }
    summarize(rep);
  }
  const loadEnd = load();
  if (values["generate-only"]) {
    process.exitCode = reports.some((r) => r.error) ? 1 : 0;
    return;
  }

  // The table.
  say();
  say(`## bench:scale (${machine()}; load average ${loadText(loadStart)} at start, ${loadText(loadEnd)} at end${repeat > 1 ? `; median (min to max) of ${repeat}` : ""})`);
  say();
  say(`| measure | ${reports.map((r) => `${r.label.toUpperCase().replace(/K$/, "k")} prompts`).join(" | ")} |`);
  say(`| --- | ${reports.map(() => "---").join(" | ")} |`);
  const row = (label: string, cells: string[]) => say(`| ${label} | ${cells.join(" | ")} |`);
  row(
    "log (step files)",
    reports.map((r) => (r.run ? `${r.run.steps} files, ${GB(r.run.bytes)}, ${r.run.rollouts.toLocaleString("en-US")} rollouts` : `not run: ${r.error}`)),
  );
  row("generation (once, cached)", reports.map((r) => (r.run ? `${r.run.generatedSeconds.toFixed(1)} s${r.generatedNowSeconds === null ? " (cached)" : ""}` : "")));
  row("load average at start, end", reports.map((r) => `${loadText(r.loadStart)}; ${loadText(r.loadEnd)}`));
  for (const m of METRICS) {
    if (m.case === "ui" && !wantUi) continue;
    row(m.label, reports.map((r) => cell(r, m)));
  }
  const failures = reports.flatMap((r) => r.repeats.flatMap((x, i) => (Object.entries(x) as [Case, CaseResult][]).filter(([, c]) => !c.ok && !c.skipped).map(([c, v]) => `${r.label}${repeat > 1 ? ` #${i + 1}` : ""} ${c}: ${v.error}`)));
  if (failures.length) {
    say();
    say(`failed cases (stderr tails above): ${failures.join("; ")}`);
  }

  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          machine: machine(),
          rssMethod: rssMethod(),
          repeat,
          ui: wantUi,
          loadStart,
          loadEnd,
          sizes: reports,
        },
        null,
        2,
      )}\n`,
    );
  }
  process.exitCode = failures.length || reports.some((r) => r.error) ? 1 : 0;
}

main().catch((e) => {
  cleanup();
  process.stderr.write(`bench:scale: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
