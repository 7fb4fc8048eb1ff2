/**
 * One measured case of `npm run bench:ingest`, run in its own process so its peak RSS
 * (getrusage maxRSS = /proc VmHWM, every thread included) is its own. Prints one JSON line.
 *   parse <trainDir>                      plain single-thread readFileSync + JSON.parse of every file
 *   ingest <runDir> <keep> [--score-export] ingestRun into DATABASE_URL (steps per epoch 8, the dataset)
 *   migrate                               apply the migrations to DATABASE_URL (not timed: a template)
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb } from "../lib/db";
import { ingestRun } from "../lib/ingest/ingest-run";

const [mode, dir, keep, flag] = process.argv.slice(2);
const out: Record<string, unknown> = { mode };
const t = performance.now();
if (mode === "migrate") {
  const { migrateDatabase } = await import("../lib/db/migrate");
  const { databaseUrl } = await import("../lib/db");
  await migrateDatabase(databaseUrl());
} else if (mode === "parse") {
  let rollouts = 0;
  for (const f of readdirSync(dir)) {
    if (!/^step_\d+\.json$/.test(f)) continue;
    rollouts += (JSON.parse(readFileSync(path.join(dir, f), "utf8")) as unknown[]).length;
  }
  out.rollouts = rollouts;
} else {
  const run = await ingestRun({
    path: dir,
    name: `bench-keep-${keep}`,
    stepsPerEpoch: 8,
    keepExamples: Number(keep),
    dataset: { file: path.join(dir, "dataset.json") },
    replace: true,
  });
  out.rollouts = run.rolloutCount;
  out.samples = run.sampleCount;
  if (flag === "--score-export") {
    out.ms = performance.now() - t;
    const exportFile = path.join(os.tmpdir(), `lim-bench-export-${process.pid}.jsonl`);
    try {
      const { timeScoreExport } = await import("./time-score-export");
      out.scoreExport = await timeScoreExport(run.name, exportFile);
    } catch (e) {
      out.scoreExportError = (e as Error).message;
    } finally {
      rmSync(exportFile, { force: true });
    }
  }
  await closeDb();
}
out.ms ??= performance.now() - t;
out.maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
