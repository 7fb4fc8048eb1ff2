import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../lib/cli/run-cli";
import { getRun } from "../lib/db";
import { useTempDatabase, type TempDatabase } from "../lib/db/test-db";
import { tempDir } from "../lib/ingest/test-helpers";
import { writeFixtures } from "./write-fixtures";

let db: TempDatabase;
const tmp = tempDir("lim-fixtures-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

/** Every file under dir with the SHA-256 of its bytes, paths relative to dir. */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
  }
  return out;
}

test("npm run fixtures writes a sample of every format that lim ingest reads as printed, with --format auto", async () => {
  const logs = await writeFixtures(path.join(tmp.dir, "a"));
  assert.deepEqual([...new Set(logs.map((l) => l.format))], ["openrlhf", "verl", "trl", "nemo-rl", "jsonl", "csv"]);
  assert.equal(logs.filter((l) => l.flags.includes("--dataset")).length, 5);
  for (const [i, l] of logs.entries()) {
    const r = await runCli(["ingest", l.path, "--name", `fx-${i}`, ...l.flags]);
    assert.equal(r.code, 0, `${l.path}: ${r.stderr}`);
    const run = (await getRun(`fx-${i}`))!;
    assert.equal(run.format, l.format);
    assert.ok(run.sampleCount > 0 && run.rolloutCount > run.sampleCount, `${l.format}: ${run.sampleCount} prompts, ${run.rolloutCount} rollouts`);
    // Every sample that comes with a training set matches it completely (by template or by id).
    if (l.flags.includes("--dataset")) assert.equal(run.unmatchedPrompts, 0, `${l.path}: ${run.notes.join("\n")}`);
  }
  const byId = (await getRun(`fx-${logs.findIndex((l) => l.name === "verl-by-id")}`))!;
  assert.equal(byId.idField, "index");
  assert.ok(byId.notes.some((n) => /36 by id \(log field "index", dataset field "extra_info.index"\)/.test(n)), byId.notes.join("\n"));
  assert.equal(byId.datasetFormat, "parquet");
  const sparse = (await getRun(`fx-${logs.findIndex((l) => l.path.endsWith("trl-logging-steps-10"))}`))!;
  assert.ok(sparse.notes.some((n) => n.includes("every 10 steps")), sparse.notes.join("\n"));
  // Seeded generators: the same bytes every time.
  await writeFixtures(path.join(tmp.dir, "b"));
  assert.deepEqual(digest(path.join(tmp.dir, "b")), digest(path.join(tmp.dir, "a")));
});
