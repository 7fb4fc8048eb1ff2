import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { runCli } from "./run-cli";

/**
 * One step per epoch, 4 rollouts per prompt and step (reward 1 or 0), prompts first seen in
 * this order. Computed by hand (std population, t = ceil(3 / 3) = 1):
 *          accuracies       LIM     variance  learnability  linear  pass-rate  category
 *   A      0, 0.5, 1        0.494   0.408     1/12          1       0.5        learned
 *   B      1, 0.5, 0        0.404   0.408     1/12          0       0.5        forgotten
 *   C      0.5, 0.5, 0.5    0.989   0         0.25          0       0.5        steady
 *   D      1, 1, 1          0       0         0             0       1          always-solved
 *   E      0, 0, 0          0.360   0         0             0       0          never-solved
 *   F      0, 0.25, 0.25    0.719   0.118     0.125         0.75    1/6        learned
 *   G      0.25, -, -       excluded everywhere (epochs 2 and 3 missing)
 * LIM >= 0.6: C, F (the budget N = 2). Variability's 67th percentile: 0.2195, so ambiguous:
 * A, B; easy-to-learn (confidence >= 0.5): C, D; hard-to-learn: E, F.
 */
const ACCURACY: Record<string, (number | null)[]> = {
  A: [0, 0.5, 1],
  B: [1, 0.5, 0],
  C: [0.5, 0.5, 0.5],
  D: [1, 1, 1],
  E: [0, 0, 0],
  F: [0, 0.25, 0.25],
  G: [0.25, null, null],
};
const NAMES = Object.keys(ACCURACY);

function writeRun(dir: string, steps: number): void {
  mkdirSync(path.join(dir, "train"), { recursive: true });
  for (let k = 0; k < steps; k++) {
    const rows = NAMES.flatMap((prompt) => {
      const r = ACCURACY[prompt][k];
      return r === null ? [] : [0, 1, 2, 3].map((i) => ({ prompt, response: `r${i}`, reward: i < r * 4 ? 1 : 0, response_length: 1 }));
    });
    writeFileSync(path.join(dir, "train", `step_${k + 1}.json`), JSON.stringify(rows));
  }
  writeFileSync(path.join(dir, "data.jsonl"), NAMES.map((prompt, id) => JSON.stringify({ prompt, id })).join("\n") + "\n");
}

const json = async (args: string[]) => {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const exported = async (args: string[]) => {
  const r = await runCli(["export", "hand", ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l));
};

describe("selection methods through the CLI, on a run computed by hand", () => {
  let db: TempDatabase;
  let dir: string;
  let oneStep: string;
  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-methods-"));
    writeRun(dir, 3);
    oneStep = path.join(dir, "one-step");
    writeRun(oneStep, 1);
    for (const [folder, name] of [[dir, "hand"], [oneStep, "one-step"]]) {
      const r = await runCli(["ingest", folder, "--name", name, "--steps-per-epoch", "1", "--dataset", path.join(folder, "data.jsonl")]);
      assert.equal(r.code, 0, r.stderr);
      if (name === "one-step") assert.match(r.stderr, /warning: The log holds one training step/);
      else assert.doesNotMatch(r.stderr, /warning/);
    }
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lim methods lists every method with its source", async () => {
    const r = await runCli(["methods"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), ["lim", "variance", "learnability", "linear", "pass-rate", "rand", "cartography"]);
    assert.match(lines[0], /arXiv 2502\.11886/);
    assert.match(lines[3], /this one is ours/);
  });

  it("lim score --json names the method, the rule, the count, the categories and the warnings", async () => {
    const s = await json(["score", "hand", "--json"]);
    assert.equal(s.method, "lim");
    assert.deepEqual(s.rule, { kind: "threshold", threshold: 0.6 });
    assert.equal(s.selected, 2);
    assert.deepEqual(s.categories, { "never-solved": 1, "always-solved": 1, learned: 2, forgotten: 1, unstable: 0, steady: 1, excluded: 1 });
    assert.deepEqual(s.warnings, []);
  });

  it("each method at its default rule selects what was computed by hand", async () => {
    const counts: Record<string, number> = { variance: 2, learnability: 2, linear: 2, "pass-rate": 4, rand: 2, cartography: 2 };
    for (const [method, n] of Object.entries(counts)) {
      const s = await json(["score", "hand", "--method", method, "--json"]);
      assert.equal(s.method, method);
      assert.equal(s.selected, n, method);
      assert.equal(s.scored, 6, method);
      assert.deepEqual(s.excluded, { total: 1, missingEpochs: 1, undefinedScore: 0 });
    }
    const map = await json(["score", "hand", "--method", "cartography", "--json"]);
    assert.deepEqual(map.cartography.regions, { ambiguous: 2, "easy-to-learn": 2, "hard-to-learn": 2 });
    assert.ok(Math.abs(map.cartography.ambiguousFrom - 0.2194901362908947) < 1e-12);
    assert.deepEqual((await json(["score", "hand", "--method", "variance", "--top", "1", "--json"])).rule, { kind: "top", n: 1 });
  });

  it("exports each method's selection with its score as <method>_score", async () => {
    const variance = await exported(["--method", "variance", "--with-scores"]);
    assert.deepEqual(variance.map((r) => r.prompt), ["A", "B"]);
    assert.ok(Math.abs(variance[0].variance_score - Math.sqrt(1 / 6)) < 1e-12);
    assert.deepEqual((await exported(["--method", "variance", "--top", "1"])).map((r) => r.prompt), ["A"], "a tie goes to the prompt seen first");
    assert.deepEqual((await exported(["--method", "learnability"])).map((r) => r.prompt), ["C", "F"]);
    assert.deepEqual((await exported(["--method", "linear", "--threshold", "0.8"])).map((r) => r.prompt), ["A"]);
    const pass = await exported(["--method", "pass-rate", "--with-scores"]);
    assert.deepEqual(pass.map((r) => [r.prompt, r.pass_rate_score]), [["A", 0.5], ["B", 0.5], ["C", 0.5], ["F", 0.25 / 1.5]]);
    const hard = await exported(["--method", "cartography", "--region", "hard-to-learn", "--with-scores"]);
    assert.deepEqual(hard.map((r) => [r.prompt, r.cartography_confidence]), [["E", 0], ["F", 1 / 6]]);
    assert.deepEqual(Object.keys(hard[0]), ["prompt", "id", "cartography_confidence", "cartography_variability"]);
    const rand = await exported(["--method", "rand", "--seed", "1", "--with-scores"]);
    assert.equal(rand.length, 2);
    assert.ok(rand.every((r) => r.rand_score >= 0 && r.rand_score < 1));
    assert.deepEqual(await exported(["--method", "rand", "--seed", "1", "--with-scores"]), rand, "a seed gives the same set every time");
  });

  it("records the method and its rule in the manifest, and how to write the file again", async () => {
    const out = path.join(dir, "variance.jsonl");
    const r = await runCli(["export", "hand", "--method", "variance", "--out", out, "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Exported 2 rows as jsonl \(variance, top 2\)/);
    const m = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(`${out}.manifest.json`, "utf8")));
    assert.equal(m.method.id, "variance");
    assert.deepEqual(m.rule, { kind: "top", n: 2 });
    assert.equal(m.threshold, null);
    assert.equal(m.counts.selected, 2);
    assert.equal(m.reproduce, "lim export hand --method variance --top 2 --steps-per-epoch 1 --epochs steps --max-epochs 3 --success-reward 1 --format jsonl --out variance.jsonl");
  });

  it("lim compare: every pair's shared count and Jaccard index", async () => {
    const c = await json(["compare", "hand", "--methods", "lim,variance,learnability,linear,pass-rate", "--json"]);
    assert.deepEqual(c.methods.map((m: { method: string; selected: number }) => [m.method, m.selected]), [["lim", 2], ["variance", 2], ["learnability", 2], ["linear", 2], ["pass-rate", 4]]);
    const pair = (a: string, b: string) => c.pairs.find((p: { a: string; b: string }) => p.a === a && p.b === b);
    assert.deepEqual(pair("lim", "variance"), { a: "lim", b: "variance", both: 0, jaccard: 0 });
    assert.deepEqual(pair("lim", "learnability"), { a: "lim", b: "learnability", both: 2, jaccard: 1 });
    assert.deepEqual(pair("lim", "linear"), { a: "lim", b: "linear", both: 1, jaccard: 1 / 3 });
    assert.deepEqual(pair("lim", "pass-rate"), { a: "lim", b: "pass-rate", both: 2, jaccard: 0.5 });
    assert.equal(c.pairs.length, 10);
    const top = await json(["compare", "hand", "--methods", "lim,pass-rate,cartography", "--top", "1", "--json"]);
    assert.deepEqual(top.methods.map((m: { selected: number }) => m.selected), [1, 1, 2]); // cartography keeps its region
    const text = await runCli(["compare", "hand"]);
    assert.match(text.stdout, /lim & variance\s+0\s+0\.0000/);
  });

  it("warns where a log cannot support a method, in --json and on stderr", async () => {
    const s = await json(["score", "one-step", "--method", "linear", "--json"]);
    assert.ok(s.warnings.some((w: string) => /one training step/.test(w)), JSON.stringify(s.warnings));
    assert.ok(s.warnings.some((w: string) => /LINEAR needs at least 3 epochs/.test(w)));
    assert.equal(s.scored, 0);
    const text = await runCli(["score", "one-step"]);
    assert.match(text.stderr, /^warning: The log holds one training step/m);
  });

  it("a run made from imported scores takes lim only, and says why", async () => {
    writeFileSync(path.join(dir, "scores.json"), JSON.stringify([{ prompt: "A", score: 0.7 }, { prompt: "B", score: 0.2 }]));
    const imported = await runCli(["import-scores", path.join(dir, "scores.json"), "--dataset", path.join(dir, "data.jsonl"), "--name", "imported"]);
    assert.equal(imported.code, 0, imported.stderr);
    const s = await json(["score", "imported", "--top", "1", "--json"]);
    assert.equal(s.selected, 1);
    assert.match(s.warnings[0], /imported scores, not reward logs/);
    const r = await runCli(["score", "imported", "--method", "variance"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /holds imported scores, not reward logs: only lim applies, variance needs the logged run/);
  });

  it("refuses bad flags with a clear message and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["score", "hand", "--method", "lime"], /--method must be one of lim, variance, learnability, linear, pass-rate, rand, cartography, got "lime"/],
      [["score", "hand", "--top", "2", "--threshold", "0.5"], /--threshold and --top are two rules/],
      [["export", "hand", "--region", "ambiguous"], /--region applies to --method cartography only/],
      [["export", "hand", "--method", "cartography", "--top", "3"], /cartography selects by region/],
      [["score", "hand", "--method", "cartography", "--region", "middle"], /--region must be one of ambiguous, easy-to-learn, hard-to-learn/],
      [["score", "hand", "--method", "variance", "--top", "0"], /--top must be a positive integer/],
      [["score", "hand", "--method", "variance", "--top", "1.5"], /--top must be a positive integer/],
      [["score", "hand", "--seed", "1"], /--seed applies to --method rand only/],
      [["score", "hand", "--method", "rand", "--seed", "4294967296"], /--seed must be an integer 0\.\.4294967295/],
      [["compare", "hand", "--methods", "lim,nope"], /unknown method "nope"; the methods are lim, variance/],
      [["compare", "hand", "--methods", "lim"], /at least two methods/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
