/**
 * What the concurrency and kill tests share: generated OpenRLHF runs of a few thousand prompts
 * (lib/demo/generate-scale-run.ts, seeded), `lim` as a child process a test can kill, and a
 * consistency check of the whole database, on either SQLite or PostgreSQL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateScaleRun } from "../demo/generate-scale-run";
import { countRows } from "./test-db";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/lim.mjs");

export interface GeneratedLog {
  train: string;
  dataset: string;
}

/** A seeded run of `prompts` prompts, 6 epochs x 8 steps, 2 rollouts a prompt, and its dataset, under `dir`. */
export async function generatedLog(dir: string, prompts: number, seed: number): Promise<GeneratedLog> {
  const run = await generateScaleRun({ dir, prompts, seed });
  return { train: run.trainDir, dataset: run.datasetFile };
}

/** `lim ingest` of a generated log, as a user runs it. */
export function ingestArgs(log: GeneratedLog, name: string, ...extra: string[]): string[] {
  return ["ingest", log.train, "--name", name, "--steps-per-epoch", "8", "--dataset", log.dataset, ...extra];
}

export interface LimOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  endedAt: number;
}

export interface LimChild {
  child: ChildProcess;
  done: Promise<LimOutcome>;
}

/** `lim <args>` against DATABASE_URL=url, in a child process. */
export function spawnLim(url: string, args: string[]): LimChild {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on("data", (d) => out.push(d));
  child.stderr!.on("data", (d) => err.push(d));
  const done = new Promise<LimOutcome>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), startedAt, endedAt: performance.now() }),
    );
  });
  return { child, done };
}

/** `lim <args>` that must exit 0; its stdout. */
export async function lim(url: string, args: string[]): Promise<string> {
  const r = await spawnLim(url, args).done;
  if (r.code !== 0) throw new Error(`lim ${args.join(" ")} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** `lim export` of a run's curated rows, with their scores. */
export function exportOutput(url: string, name: string): Promise<string> {
  return lim(url, ["export", name, "--threshold", "0.5", "--with-scores"]);
}

/** `lim score --json` without the run's name, so one log under two names compares equal. */
export async function scoreOutput(url: string, name: string): Promise<string> {
  const { run, ...scores } = JSON.parse(await lim(url, ["score", name, "--json"])) as { run: unknown };
  if (run !== name) throw new Error(`lim score ${name} --json names the run ${JSON.stringify(run)}`);
  return JSON.stringify(scores);
}

/** What a user compares a run by: its curated rows with their scores, and its scores. */
export async function runOutputs(url: string, name: string): Promise<{ exported: string; scores: string }> {
  const [exported, scores] = await Promise.all([exportOutput(url, name), scoreOutput(url, name)]);
  return { exported, scores };
}

/** The tables whose rows belong to a run. */
export const RUN_TABLES = ["Sample", "SampleBlock", "StepBlock", "DatasetBlock", "DatasetRow", "ExampleBlock", "Example"] as const;

/**
 * Rows per table that belong to none of `runIds` (a killed or failed write's leftovers): zero
 * everywhere in a consistent database. Read on connections of their own.
 */
export async function strayRows(url: string, runIds: number[]): Promise<Record<string, number>> {
  const stray: Record<string, number> = {};
  for (const table of RUN_TABLES) {
    let owned = 0;
    for (const id of runIds) owned += await countRows(url, table, id);
    const n = (await countRows(url, table)) - owned;
    if (n !== 0) stray[table] = n;
  }
  const runs = await countRows(url, "Run");
  if (runs !== runIds.length) stray.Run = runs - runIds.length;
  return stray;
}
