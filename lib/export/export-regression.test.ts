import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { generateRun } from "../demo/generate-run";
import { ingestRun } from "../ingest/ingest-run";
import { tempDir } from "../ingest/test-helpers";
import { scoreRun, type ScoreOverrides } from "../runs/score-run";
import { summarize } from "../runs/summarize";
import { exportFile, type ExportFormat } from "./export-file";

/*
 * SHA-256 of what the version that stored one aggregates blob per prompt (commit 5a59bab)
 * wrote for this seeded run: the columnar core must give the same summaries and the same
 * export bytes for the same parameters.
 */
const SUMMARIES: [ScoreOverrides, string][] = [
  [{}, "f15ef37d91bee94d123fb879e6cbd3c25374c09a177e1ed23f0944f181804bec"],
  [{ epochMode: "visits" }, "82d5f266a8fa2ddf82882ef34c151b83d98b06db657f73e5928de997e2b23349"],
  [{ successReward: -0.5, maxEpochs: 3 }, "f9e4ea8dfa0f40734bc5592c582087230fbe17eb55f13ee8a57835c50ada874b"],
];
const EXPORTS: [ExportFormat, number, boolean, number, string][] = [
  ["jsonl", 0.5, false, 179, "39905be878dceb4b5bf1b668ddb74189c7f6cb3c890faed43d72b224c2942db9"],
  ["json", 0.5, false, 179, "d874370d6338bb3aa5b82d589b4865c6456711e5c6192d10b75d28e30e23e3a4"],
  ["parquet", 0.5, false, 179, "85efab42634781a309cc6a1cbdf4860ec333d226ecce4791120ef74cc14f7894"],
  ["jsonl", 0.6, true, 118, "4e5774027e4800108772859e0da166563b4c6fb87d228fad43b1347c20090bec"],
  ["parquet", 0.3, true, 263, "fc6a3ec2935a16da985d988b3f45c1b92147e66139b78b0356a5e603e9cf58f6"],
];

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
let db: TempDatabase;
let dir: string;
let cleanupDir = () => {};

before(async () => {
  db = await useTempDatabase();
  ({ dir, cleanup: cleanupDir } = tempDir("lim-regression-"));
  const run = await generateRun({ dir: path.join(dir, "log"), prompts: 600, epochs: 5, stepsPerEpoch: 4, promptsPerStep: 120, rolloutsPerPrompt: 4, responseBytes: 200, seed: 7 });
  await ingestRun({ path: run.dir, name: "r", stepsPerEpoch: 4, dataset: { file: run.datasetFile } });
});
after(async () => {
  cleanupDir();
  await db.cleanup();
});

test("summaries of a seeded run are what the per-prompt storage gave, by steps, by visits and re-scored", async () => {
  for (const [overrides, want] of SUMMARIES) assert.equal(sha(JSON.stringify(summarize(await scoreRun("r", overrides), 0.5))), want, JSON.stringify(overrides));
});

test("exports of a seeded run are byte for byte what the per-prompt storage wrote, in every format", async () => {
  const scored = await scoreRun("r");
  for (const [format, threshold, withScores, rows, want] of EXPORTS) {
    const out = path.join(dir, `out-${format}-${threshold}-${withScores}`);
    const r = await exportFile(scored, { format, threshold, withScores, out });
    assert.equal(r.rows, rows, `${format} ${threshold}`);
    assert.equal(sha(readFileSync(out)), want, `${format} at ${threshold}${withScores ? " with scores" : ""}`);
  }
});
