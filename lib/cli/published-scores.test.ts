import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { runCli } from "./run-cli";

const SCORES = "fixtures/limr/scores.json";
const DATASET = "fixtures/limr/math.8k.json";

describe("LIMR's published scores", () => {
  let db: TempDatabase;
  before(async () => {
    db = await useTempDatabase();
    const r = await runCli(["import-scores", SCORES, "--dataset", DATASET, "--name", "limr-published"]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => db.cleanup());

  it("exports exactly the rows of the published 1,389-prompt set, in dataset order", async () => {
    const r = await runCli(["export", "limr-published", "--threshold", "0.6", "--out", "-"]);
    assert.equal(r.code, 0, r.stderr);
    const scores: { prompt: string; score: number }[] = JSON.parse(readFileSync(SCORES, "utf8"));
    const dataset: Record<string, unknown>[] = JSON.parse(readFileSync(DATASET, "utf8"));
    const kept = new Set(scores.filter((s) => s.score >= 0.6).map((s) => s.prompt));
    const expected = dataset.filter((row) => kept.has(row.prompt as string));
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1389);
    assert.deepEqual(lines.map((l) => JSON.parse(l)), expected);
    // Rows are written unchanged: same keys in the same order.
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), ["id", "prompt", "answer", "source"]);
  });

  it("summarises the run: 7,935 scored, 1,389 selected at 0.6", async () => {
    const r = await runCli(["score", "limr-published", "--threshold", "0.6", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.prompts, 7935);
    assert.equal(s.scored, 7935);
    assert.equal(s.selected, 1389);
  });

  it("adds lim_score with --with-scores and lists the run", async () => {
    const r = await runCli(["export", "limr-published", "--threshold", "0.9", "--with-scores"]);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.ok(rows.length > 0);
    for (const row of rows) assert.ok(row.lim_score >= 0.9, JSON.stringify(row));
    const runs = JSON.parse((await runCli(["runs", "--json"])).stdout);
    assert.deepEqual(runs.map((x: { name: string }) => x.name), ["limr-published"]);
    assert.equal(runs[0].datasetFormat, "json");
  });

  it("refuses an existing run name unless --replace", async () => {
    const again = await runCli(["import-scores", SCORES, "--dataset", DATASET, "--name", "limr-published"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /limr-published/);
    const replaced = await runCli(["import-scores", SCORES, "--dataset", DATASET, "--name", "limr-published", "--replace"]);
    assert.equal(replaced.code, 0, replaced.stderr);
  });
});

describe("usage errors", () => {
  it("exits 2 with the usage line for a bad flag or a missing argument", async () => {
    const bad = await runCli(["score", "x", "--threshold", "abc"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--threshold must be a finite number/);
    assert.match(bad.stderr, /usage: lim score/);
    assert.equal((await runCli(["export"])).code, 2);
    assert.equal((await runCli(["frobnicate"])).code, 2);
  });
});
