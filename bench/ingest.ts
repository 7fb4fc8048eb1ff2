/**
 * `npm run bench:ingest`: ingest throughput and memory on a LIMR-scale run (8,523 prompts,
 * 21 epochs x 8 steps, 1,024 prompts x 8 rollouts per step, ~1.5 KB responses: 168 files,
 * ~2.6 GB), next to a plain single-thread JSON.parse of the same files.
 *
 * The run is generated once (seeded) into .bench-cache/limr-scale and reused. Each case runs
 * in its own process (bench/ingest-child.ts) against a temporary SQLite file; times are taken
 * around the work itself (module loading excluded; worker start, database open and the write
 * included). Flags: --repeat N (best of N, default 1), --json.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateRun, LIMR_SCALE } from "../lib/demo/generate-run";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".bench-cache", "limr-scale");
const SHAPE = { ...LIMR_SCALE, seed: 2025 };

interface Result {
  mode: string;
  ms: number;
  maxRssMB: number;
  rollouts: number;
  scoreExport?: { scoreMs: number; exportMs: number; exportedRows: number; threshold: number };
  scoreExportError?: string;
}

async function ensureRun(): Promise<{ bytes: number; rollouts: number; steps: number }> {
  const manifest = path.join(cache, "manifest.json");
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, "utf8"));
    if (JSON.stringify(m.shape) === JSON.stringify(SHAPE)) return m;
  }
  rmSync(cache, { recursive: true, force: true });
  process.stderr.write(`generating the LIMR-scale run into ${cache} (once)...\n`);
  const t = performance.now();
  const run = await generateRun({
    dir: cache,
    ...SHAPE,
    onFile: (s, n) => s % 24 === 0 && process.stderr.write(`  ${s}/${n} files\n`),
  });
  const m = { shape: SHAPE, bytes: run.bytes, rollouts: run.rollouts, steps: run.steps };
  writeFileSync(manifest, JSON.stringify(m, null, 2));
  process.stderr.write(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return m;
}

function child(args: string[], env: NodeJS.ProcessEnv): Result {
  const r = spawnSync(process.execPath, [...process.execArgv, path.join(import.meta.dirname, "ingest-child.ts"), ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench case ${args.join(" ")} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Result;
}

const { values } = parseArgs({ options: { repeat: { type: "string" }, json: { type: "boolean" } } });
const repeat = Math.max(1, Number(values.repeat ?? 1));
const run = await ensureRun();
const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(" ");
const cases: [string, string[]][] = [
  ["JSON.parse, 1 thread", ["parse", path.join(cache, "train")]],
  ["ingest (default: 2 examples)", ["ingest", cache, "2", "--score-export"]],
  ["ingest --keep-examples 0", ["ingest", cache, "0"]],
];
// Every run starts from a copy of one migrated database, as a user's database would be
// (migrating a brand-new file loads Prisma's schema engine: ~0.4 s, once per database).
const templateDir = mkdtempSync(path.join(os.tmpdir(), "lim-bench-template-"));
const template = path.join(templateDir, "template.db");
child(["migrate"], { ...process.env, DATABASE_URL: `file:${template}` });
const results: (Result & { label: string; runs: number[] })[] = [];
for (const [label, args] of cases) {
  let best: Result | null = null;
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    // A fresh database per run: replacing a previous run would time its deletion too.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "lim-bench-"));
    for (const ext of ["", "-wal"]) if (existsSync(template + ext)) copyFileSync(template + ext, path.join(tmp, `bench.db${ext}`));
    try {
      const r = child(args, { ...process.env, DATABASE_URL: `file:${path.join(tmp, "bench.db")}` });
      runs.push(r.ms);
      if (!best || r.ms < best.ms) best = r;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  results.push({ ...best!, label, runs });
}
rmSync(templateDir, { recursive: true, force: true });

if (values.json) {
  process.stdout.write(`${JSON.stringify({ machine: machine(), loadBefore, run, results }, null, 2)}\n`);
} else {
  const gb = run.bytes / 1e9;
  console.log(`LIMR-scale run: ${run.steps} files, ${gb.toFixed(2)} GB, ${run.rollouts.toLocaleString("en-US")} rollouts (${cache})`);
  console.log(`machine: ${machine()}; best of ${repeat}; load average before: ${loadBefore}`);
  console.log(`${"case".padEnd(32)}${"time".padStart(9)}${"MB/s".padStart(8)}${"rollouts/s".padStart(13)}${"peak RSS".padStart(11)}`);
  for (const r of results) {
    const s = r.ms / 1000;
    console.log(
      `${r.label.padEnd(32)}${`${s.toFixed(2)} s`.padStart(9)}${(run.bytes / 1e6 / s).toFixed(0).padStart(8)}` +
        `${Math.round(run.rollouts / s).toLocaleString("en-US").padStart(13)}${`${r.maxRssMB.toFixed(0)} MB`.padStart(11)}`,
    );
  }
  const se = results.find((r) => r.scoreExport)?.scoreExport;
  if (se) console.log(`score (warm, best of 3): ${se.scoreMs.toFixed(0)} ms; export of ${se.exportedRows.toLocaleString("en-US")} rows: ${se.exportMs.toFixed(0)} ms`);
  const err = results.find((r) => r.scoreExportError)?.scoreExportError;
  if (err) console.log(`score/export not timed: ${err}`);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
}
