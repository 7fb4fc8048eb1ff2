/**
 * `npm run bench:load`: the team server under concurrent use, on a SQLite file and on
 * PostgreSQL, while the CLI writes into the same database.
 *
 * For each database (a temporary SQLite file; a private PostgreSQL cluster, skipped with a
 * line when PostgreSQL is not installed):
 *   1. `lim ingest` a generated OpenRLHF run ("load": N prompts, lib/demo/generate-scale-run.ts,
 *      cached in .bench-cache/) and a few small runs to delete later;
 *   2. the real server (scripts/start.mjs: a build when stale, next start, LIM_NO_DEMO=1) on a
 *      free loopback port; one warm-up request per endpoint (the first scores the run);
 *   3. C clients for S seconds, each one request at a time from a fixed mix: the run page,
 *      its data (the binary view), its prompt texts a page at a time, its version poll, a
 *      prompt page, the JSONL export and the runs list;
 *   4. meanwhile, after a few seconds, a second `lim ingest` (another generated run of the
 *      same size, "load-2") writes into the same database, and while it writes, the small runs
 *      are deleted through the web (DELETE /api/runs/<name>), spread over the time the first
 *      ingest took;
 *   5. per endpoint: requests, throughput, p50 / p99 / max latency (answer read to its last
 *      byte), errors (non-2xx or network, the first messages); the server's RSS (start.mjs and
 *      every process below it, VmRSS summed, sampled every 250 ms: peak); whether the second
 *      ingest landed (the CLI lists it and the server serves it) and how long it took against
 *      the first one, which ran alone.
 *
 * Flags: --db sqlite,postgres (default both), --clients C (20), --seconds S (60),
 * --prompts N (50000), --ingest-after S (5), --deletes K (3), --short (8 clients, 15 s,
 * 5000 prompts, unless given). Every request goes to 127.0.0.1; every loop ends by its deadline.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SCALE_DEFAULTS } from "../lib/demo/generate-scale-run";
import { cliRunNames, ensureRun, ingestOrFail, liveChildren, startIngest } from "./load-children";
import { openBenchDatabase, postgresInstalled, type BenchDatabase, type DbKind } from "./load-databases";
import { report, type DbReport } from "./load-report";
import { newStats, runLoad, sampleRss, timedRequest, treeRssMB, type Endpoint } from "./load-traffic";
import { freePort, root, startServer, stopServer } from "./ui-helpers";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite,postgres" },
    clients: { type: "string" },
    seconds: { type: "string" },
    prompts: { type: "string" },
    "ingest-after": { type: "string", default: "5" },
    deletes: { type: "string", default: "3" },
    short: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("usage: npm run bench:load -- [--db sqlite,postgres] [--clients 20] [--seconds 60] [--prompts 50000] [--ingest-after 5] [--deletes 3] [--short]\n");
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`bench:load: ${message}\n`);
  process.exit(2);
}
function positiveInt(flag: string, given: string | undefined, fallback: number, min = 1): number {
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!Number.isInteger(n) || n < min) fail(`--${flag} must be an integer >= ${min}, got "${given}"`);
  return n;
}
const CLIENTS = positiveInt("clients", values.clients, values.short ? 8 : 20);
const SECONDS = positiveInt("seconds", values.seconds, values.short ? 15 : 60);
const PROMPTS = positiveInt("prompts", values.prompts, values.short ? 5000 : 50_000, SCALE_DEFAULTS.stepsPerEpoch);
const INGEST_AFTER = positiveInt("ingest-after", values["ingest-after"], 5, 0);
const DELETES = positiveInt("deletes", values.deletes, 3, 0);
const KINDS = values.db.split(",").map((s) => s.trim()).filter(Boolean);
for (const k of KINDS) if (k !== "sqlite" && k !== "postgres") fail(`--db takes sqlite and/or postgres, got "${k}"`);

const say = (line = "") => process.stdout.write(`${line}\n`);
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let server: ChildProcess | null = null;
const toDrop = new Set<BenchDatabase>();
const tempDirs = new Set<string>();

function cleanup(): void {
  for (const c of liveChildren) c.kill("SIGKILL");
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {}
  }
  for (const db of toDrop) db.drop();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    process.stderr.write(`\nbench:load: ${sig}: stopping\n`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// One database

function endpoints(run: string, prompts: number): Endpoint[] {
  const r = encodeURIComponent(run);
  const page = 50;
  return [
    { name: "run page (HTML)", weight: 1, path: () => `/runs/${r}` },
    { name: "run data (binary view)", weight: 3, path: () => `/api/runs/${r}/view` },
    { name: "prompt texts (50 rows)", weight: 3, path: (n) => `/api/runs/${r}/texts?ordinals=${Array.from({ length: page }, (_, i) => ((n * page + i) * 37) % prompts).join(",")}` },
    { name: "version poll", weight: 1, path: () => `/api/runs/${r}/version` },
    { name: "prompt page", weight: 2, path: (n) => `/runs/${r}/prompts/${(n * 7919 + 11) % prompts}` },
    { name: "export (JSONL, threshold 0.6)", weight: 1, path: () => `/api/runs/${r}/export?threshold=0.6` },
    { name: "runs list (HTML)", weight: 1, path: () => `/` },
  ];
}

async function benchDatabase(kind: DbKind, mainRun: string, secondRun: string, scratchRun: string): Promise<DbReport> {
  const db = await openBenchDatabase(kind);
  toDrop.add(db);
  try {
    say(`\n== ${db.describe}`);
    await cliRunNames(db.url); // applies the migrations, so the first ingest's time is its own
    const firstIngestMs = await ingestOrFail(db.url, mainRun, "load");
    say(`  lim ingest load (${PROMPTS.toLocaleString("en-US")} prompts, alone): ${s1(firstIngestMs)}`);
    for (let k = 1; k <= DELETES; k++) await ingestOrFail(db.url, scratchRun, `scratch-${k}`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const logDir = mkdtempSync(path.join(os.tmpdir(), "lim-load-server-"));
    tempDirs.add(logDir);
    const logFile = path.join(logDir, "server.log");
    const logFd = openSync(logFile, "w");
    const t0 = performance.now();
    try {
      server = await startServer({ port, dbUrl: db.url, detached: true, stdio: ["ignore", logFd, logFd], env: { LIM_NO_DEMO: "1" }, onSpawn: (s) => (server = s) });
    } catch (error) {
      closeSync(logFd);
      throw new Error(`${(error as Error).message}; its log:\n${readFileSync(logFile, "utf8").slice(-3000)}`);
    }
    closeSync(logFd);
    const serverStartMs = performance.now() - t0;
    const pid = server.pid!;
    say(`  server on ${base} in ${s1(serverStartMs)} (log: ${logFile})`);

    const eps = endpoints("load", PROMPTS);
    const warmUp: DbReport["warmUp"] = [];
    for (const e of eps) {
      const st = newStats(e.name);
      await timedRequest(base, "GET", e.path(0), st, 120_000);
      warmUp.push({ name: e.name, ms: st.latenciesMs[0], status: st.ok ? "ok" : st.messages[0] });
    }
    say(`  warm-up, one request each: ${warmUp.map((w) => `${w.name} ${w.ms.toFixed(0)} ms${w.status === "ok" ? "" : ` (${w.status})`}`).join("; ")}`);

    const rssStartMB = treeRssMB(pid);
    const rss = sampleRss(pid);
    const loadavgStart = loadavg();
    say(`  load: ${CLIENTS} clients for ${SECONDS} s; second ingest after ${INGEST_AFTER} s; load average ${loadavgStart}`);
    const loadStarted = performance.now();
    const loading = runLoad({ base, endpoints: eps, clients: CLIENTS, durationMs: SECONDS * 1000, timeoutMs: 60_000 });

    await new Promise((r) => setTimeout(r, INGEST_AFTER * 1000));
    const second = startIngest(db.url, secondRun, "load-2");
    let ingestRunning = true;
    const secondDone = second.done.then((r) => {
      ingestRunning = false;
      return r;
    });
    // The web deletes, spread over the time the first ingest took alone (the CLI starts up before
    // it opens its transaction), not waiting for each other: each asks for the write lock the
    // ingest holds until it commits.
    const deletes = newStats("DELETE /api/runs/<run>");
    let deletesDuringIngest = 0;
    const deleted: string[] = [];
    const deleting = Array.from({ length: DELETES }, async (_, k) => {
      await new Promise((r) => setTimeout(r, (firstIngestMs * (k + 1)) / (DELETES + 1)));
      if (!ingestRunning) return;
      await timedRequest(base, "DELETE", `/api/runs/scratch-${k + 1}`, deletes, 60_000);
      if (ingestRunning) deletesDuringIngest++;
      if (deletes.okAt.at(-1)) deleted.push(`scratch-${k + 1}`);
    });
    const load = await loading;
    const loadEndedAt = performance.now();
    await Promise.all(deleting);
    const ended = await secondDone;
    const rssEnd = rss.stop();
    const loadavgEnd = loadavg();

    const names = await cliRunNames(db.url);
    const check = newStats("served");
    await timedRequest(base, "GET", `/api/runs/load-2/view`, check, 120_000);
    await stopServer(server);
    server = null;
    rmSync(logDir, { recursive: true, force: true });
    tempDirs.delete(logDir);
    return {
      kind,
      describe: db.describe,
      firstIngestMs,
      serverStartMs,
      warmUp,
      load,
      deletes,
      deletesDuringIngest,
      deletesHeld: Array.from({ length: DELETES }, (_, k) => `scratch-${k + 1}`).every((n) => names.includes(n) !== deleted.includes(n)),
      second: {
        ...ended,
        startedAt: second.startedAt,
        startedAfterMs: second.startedAt - loadStarted,
        endedBeforeLoadEnd: second.startedAt + ended.ms <= loadEndedAt,
        listed: names.includes("load-2"),
        served: check.ok ? 200 : [...check.failures.keys()][0],
      },
      rss: { startMB: rssStartMB, peakMB: rssEnd.peakMB, endMB: rssEnd.lastMB },
      loadavgStart,
      loadavgEnd,
    };
  } finally {
    if (server) {
      await stopServer(server);
      server = null;
    }
    db.drop();
    toDrop.delete(db);
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  say(`bench:load: ${cpus.length} x ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}; load average ${loadavg()}`);
  const mainRun = await ensureRun(PROMPTS, 2026, say);
  const secondRun = await ensureRun(PROMPTS, 7, say);
  const scratchRun = await ensureRun(400, 11, say);
  const reports: DbReport[] = [];
  let failed = false;
  for (const kind of KINDS as DbKind[]) {
    if (kind === "postgres" && !postgresInstalled()) {
      say("\n== PostgreSQL is not installed (no initdb): skipping its pass");
      continue;
    }
    try {
      const r = await benchDatabase(kind, mainRun, secondRun, scratchRun);
      reports.push(r);
      report(r, { clients: CLIENTS, prompts: PROMPTS, deletes: DELETES });
      if (r.second.code !== 0 || !r.second.listed || r.second.served !== 200 || !r.deletesHeld) failed = true;
    } catch (error) {
      failed = true;
      say(`  !! ${kind}: ${(error as Error).message}`);
    }
  }
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  cleanup();
  process.stderr.write(`bench:load: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
