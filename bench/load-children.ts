/**
 * bench:load's runs and CLI children: the generated runs (once, cached in .bench-cache/), the
 * `lim ingest` processes that write while the server is under load, and `lim runs` to check
 * what landed. Every child is in `liveChildren` until it exits, so an interrupted bench kills it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateScaleRun, SCALE_DEFAULTS, type ScaleRunShape } from "../lib/demo/generate-scale-run";
import { root } from "./ui-helpers";

const limBin = path.join(root, "bin", "lim.mjs");
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const liveChildren = new Set<ChildProcess>();

/** Bump when generate-scale-run.ts writes different bytes for the same shape. */
const GENERATOR_VERSION = 1;

export async function ensureRun(prompts: number, seed: number, say: (line: string) => void): Promise<string> {
  const dir = path.join(root, ".bench-cache", `load-${prompts}-${seed}`);
  const shape: ScaleRunShape = { ...SCALE_DEFAULTS, prompts, seed };
  const manifest = path.join(dir, "manifest.json");
  const want = JSON.stringify({ version: GENERATOR_VERSION, shape });
  if (existsSync(manifest) && readFileSync(manifest, "utf8") === want) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  const run = await generateScaleRun({ dir, ...shape });
  writeFileSync(manifest, want);
  say(`  generated ${dir}: ${run.steps} step files, ${(run.bytes / 1e6).toFixed(0)} MB, ${run.rollouts.toLocaleString("en-US")} rollouts (${s1(performance.now() - t)}, once)`);
  return dir;
}

// The CLI, in child processes

export interface Ingest {
  child: ChildProcess;
  startedAt: number;
  done: Promise<{ code: number | null; ms: number; stderr: string }>;
}

export function startIngest(dbUrl: string, runDir: string, name: string): Ingest {
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [limBin, "ingest", path.join(runDir, "train"), "--name", name, "--steps-per-epoch", String(SCALE_DEFAULTS.stepsPerEpoch), "--dataset", path.join(runDir, "dataset.json")],
    { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl }, stdio: ["ignore", "ignore", "pipe"] },
  );
  liveChildren.add(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const done = new Promise<{ code: number | null; ms: number; stderr: string }>((resolve) => {
    child.on("exit", (code) => {
      liveChildren.delete(child);
      resolve({ code, ms: performance.now() - startedAt, stderr });
    });
  });
  return { child, startedAt, done };
}

export async function ingestOrFail(dbUrl: string, runDir: string, name: string): Promise<number> {
  const r = await startIngest(dbUrl, runDir, name).done;
  if (r.code !== 0) throw new Error(`lim ingest ${name} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.ms;
}

export async function cliRunNames(dbUrl: string): Promise<string[]> {
  const child = spawn(process.execPath, [limBin, "runs", "--json"], { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  await new Promise((r) => child.on("exit", r));
  return (JSON.parse(out) as { name: string }[]).map((r) => r.name);
}

