import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";

const SCORES = "fixtures/limr/scores.json";
const DATASET = "fixtures/limr/math.8k.json";
const VERSION = JSON.parse(readFileSync("package.json", "utf8")).version;

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/**
 * A tiny logged run (OpenRLHF step files, 2 steps per epoch, 2 epochs) so the manifest shows
 * parameters that were really applied. A learns (0 then 1), B is always solved, C never:
 * avg = [1/3, 2/3], denominator 5/9, so s_A = 1 - (2/9)/(5/9) = 0.6 and s_B = s_C = 0.
 */
function writeLoggedRun(dir: string): void {
  mkdirSync(path.join(dir, "train"));
  const step = (rewards: Record<string, number[]>) =>
    Object.entries(rewards).flatMap(([prompt, rs]) => rs.map((reward) => ({ prompt, response: "r", reward, response_length: 1 })));
  const steps = [step({ A: [0, 0], B: [1, 1] }), step({ C: [0, 0] }), step({ A: [1, 1], B: [1, 1] }), step({ C: [0, 0] })];
  steps.forEach((rows, i) => writeFileSync(path.join(dir, "train", `step_${i + 1}.json`), JSON.stringify(rows)));
  writeFileSync(path.join(dir, "data.jsonl"), ["A", "B", "C"].map((p, i) => JSON.stringify({ prompt: p, id: i })).join("\n") + "\n");
}

describe("lim export --format and --manifest", () => {
  let db: TempDatabase;
  let dir: string;
  const out = (name: string) => path.join(dir, name);

  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-export-cli-"));
    const r = await runCli(["import-scores", SCORES, "--dataset", DATASET, "--name", "limr-published"]);
    assert.equal(r.code, 0, r.stderr);
    writeLoggedRun(dir);
    const g = await runCli(["ingest", dir, "--name", "logged", "--steps-per-epoch", "2", "--dataset", out("data.jsonl")]);
    assert.equal(g.code, 0, g.stderr);
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes LIMR's published set as JSON in the layout of LIMR's own prompts file", async () => {
    const r = await runCli(["export", "limr-published", "--format", "json", "--out", out("limr.json")]);
    assert.equal(r.code, 0, r.stderr);
    const scores: { prompt: string; score: number }[] = JSON.parse(readFileSync(SCORES, "utf8"));
    const kept = new Set(scores.filter((s) => s.score >= 0.6).map((s) => s.prompt));
    const expected = (JSON.parse(readFileSync(DATASET, "utf8")) as { prompt: string }[]).filter((row) => kept.has(row.prompt));
    assert.equal(expected.length, 1389);
    // math.8k.json itself is JSON.stringify(rows, null, 4) byte for byte; so is our subset of it.
    assert.equal(readFileSync(out("limr.json"), "utf8"), JSON.stringify(expected, null, 4));
  });

  it("keeps JSONL the default, byte for byte the same with or without --format jsonl", async () => {
    const plain = await runCli(["export", "limr-published"]);
    const named = await runCli(["export", "limr-published", "--format", "jsonl"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(named.stdout, plain.stdout);
    assert.equal(plain.stdout.split("\n").length - 1, 1389);
  });

  it("writes Parquet and a manifest whose SHA-256 matches the file", async () => {
    const before = Date.now();
    const r = await runCli(["export", "limr-published", "--format", "parquet", "--out", out("limr.parquet"), "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(out("limr.parquet.manifest.json"), "utf8"));
    assert.equal(m.export.sha256, sha256(out("limr.parquet")));
    assert.equal(m.export.bytes, readFileSync(out("limr.parquet")).length);
    assert.deepEqual({ ...m.export, sha256: undefined, bytes: undefined }, { file: "limr.parquet", format: "parquet", withScores: false, sha256: undefined, bytes: undefined });
    assert.deepEqual(m.tool, { name: "lim-studio", version: VERSION });
    assert.equal(m.run.name, "limr-published");
    assert.equal(m.run.source, SCORES);
    assert.equal(m.run.dataset, DATASET);
    assert.equal(m.method.name, "LIM");
    assert.equal(m.threshold, 0.6);
    assert.deepEqual(m.counts, { prompts: 7935, scored: 7935, excluded: 0, excludedMissingEpochs: 0, excludedUndefinedScore: 0, selected: 1389, rowsWritten: 1389 });
    const t = Date.parse(m.createdAt);
    assert.ok(t >= before - 1000 && t <= Date.now(), m.createdAt);
    assert.match(r.stderr, new RegExp(`sha256 ${m.export.sha256}`));

    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(out("limr.parquet")) });
    const jsonl = (await runCli(["export", "limr-published"])).stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows, jsonl);
  });

  it("records the parameters a logged run was scored with, and how to reproduce the file", async () => {
    const r = await runCli(["export", "logged", "--threshold", "0.5", "--max-epochs", "2", "--with-scores", "--out", out("logged.jsonl"), "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(out("logged.jsonl.manifest.json"), "utf8"));
    assert.deepEqual(m.parameters, { stepsPerEpoch: 2, maxEpochs: 2, successReward: 1, epochMode: "steps" });
    assert.equal(m.successRule?.rule, "equals");
    assert.match(m.successRule!.text, /reward equals 1 exactly/);
    assert.equal(m.run.kind, "rollouts");
    assert.match(m.method.scores, /computed from the run's logged rewards/);
    assert.equal(m.counts.selected, 1);
    assert.equal(m.counts.rowsWritten, 1);
    assert.equal(m.export.withScores, true);
    assert.equal(m.export.sha256, sha256(out("logged.jsonl")));
    assert.equal(m.reproduce, "lim export logged --threshold 0.5 --steps-per-epoch 2 --epochs steps --max-epochs 2 --success-reward 1 --format jsonl --with-scores --out logged.jsonl");
    const row = JSON.parse(readFileSync(out("logged.jsonl"), "utf8"));
    assert.deepEqual({ ...row, lim_score: undefined }, { prompt: "A", id: 0, lim_score: undefined });
    assert.ok(Math.abs(row.lim_score - 0.6) < 1e-12, String(row.lim_score));
  });

  it("refuses --manifest without a file, and unknown formats, as usage errors (exit 2) writing nothing", async () => {
    for (const args of [["--manifest"], ["--manifest", "--out", "-"]]) {
      const r = await runCli(["export", "limr-published", ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--manifest needs --out FILE/);
      assert.equal(r.stdout, "");
    }
    const bad = await runCli(["export", "limr-published", "--format", "csv", "--out", out("x.csv")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be one of jsonl, json, parquet, got "csv"/);
    assert.ok(!existsSync(out("x.csv")));
  });
});
