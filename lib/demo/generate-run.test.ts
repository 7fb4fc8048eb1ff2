import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { naiveAggregates, tempDir } from "../ingest/test-helpers";
import { generateRun, type GeneratedRun } from "./generate-run";

const shape = { prompts: 240, epochs: 5, stepsPerEpoch: 2, promptsPerStep: 100, rolloutsPerPrompt: 8, responseBytes: 300 };

function digest(dir: string): string {
  const h = createHash("sha256");
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  return h.digest("hex");
}

describe("the synthetic run generator", () => {
  const a = tempDir("lim-gen-");
  const b = tempDir("lim-gen-");
  let run: GeneratedRun;
  before(async () => {
    run = await generateRun({ dir: a.dir, ...shape, seed: 5 });
    await generateRun({ dir: b.dir, ...shape, seed: 5 });
  });
  after(() => {
    a.cleanup();
    b.cleanup();
  });

  test("is deterministic for a seed, and differs for another", async () => {
    assert.equal(digest(run.trainDir), digest(path.join(b.dir, "train")));
    assert.equal(readFileSync(run.datasetFile, "utf8"), readFileSync(path.join(b.dir, "dataset.json"), "utf8"));
    const c = tempDir("lim-gen-");
    try {
      await generateRun({ dir: c.dir, ...shape, seed: 6 });
      assert.notEqual(digest(path.join(c.dir, "train")), digest(run.trainDir));
    } finally {
      c.cleanup();
    }
  });

  test("writes OpenRLHF step files: JSON arrays pretty-printed with indent 4", () => {
    const text = readFileSync(path.join(run.trainDir, "step_1.json"), "utf8");
    const rows = JSON.parse(text) as Record<string, unknown>[];
    // Python's json.dump(indent=4): floats keep their ".0", non-ASCII is escaped.
    const python = JSON.stringify(rows, null, 4)
      .replace(/"reward": (-?1),/g, '"reward": $1.0,')
      .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
    assert.equal(text, python);
    assert.equal(rows.length, shape.promptsPerStep * shape.rolloutsPerPrompt);
    assert.deepEqual(Object.keys(rows[0]), ["prompt", "response", "reward", "response_length"]);
    assert.equal(readdirSync(run.trainDir).length, shape.epochs * shape.stepsPerEpoch);
    assert.equal(run.rollouts, shape.epochs * shape.stepsPerEpoch * shape.promptsPerStep * shape.rolloutsPerPrompt);
  });

  test("rewards are 1 / -0.5 / -1 and prompts look like math (LaTeX, some non-ASCII)", () => {
    const naive = naiveAggregates(run.trainDir);
    const rewards = new Set([...naive.values()].flatMap((s) => s.flatMap((a) => a.rewards.map((r) => r.reward))));
    assert.deepEqual([...rewards].sort(), [-0.5, -1, 1]);
    const prompts = [...naive.keys()];
    assert.ok(prompts.some((p) => p.includes("\\frac") || p.includes("\\sqrt")));
    assert.ok(prompts.some((p) => /[^\x00-\x7f]/.test(p)));
  });

  test("each epoch trains a subset, so some prompts miss some epochs", () => {
    const naive = naiveAggregates(run.trainDir);
    assert.equal(naive.size, shape.prompts);
    const epochsOf = (p: string) => new Set(naive.get(p)!.map((a) => Math.ceil(a.step / shape.stepsPerEpoch))).size;
    const missing = [...naive.keys()].filter((p) => epochsOf(p) < shape.epochs);
    assert.ok(missing.length > 0 && missing.length < shape.prompts);
    for (const aggs of naive.values()) for (const a of aggs) assert.equal(a.rollouts, shape.rolloutsPerPrompt);
  });

  test("archetypes show in the accuracies: never-solved prompts stay near 0, solved ones near 1", () => {
    const naive = naiveAggregates(run.trainDir);
    const dataset = JSON.parse(readFileSync(run.datasetFile, "utf8")) as { prompt: string }[];
    const acc = (p: string) => {
      const aggs = naive.get(p)!;
      const wins = aggs.reduce((s, a) => s + (a.rewards.find((r) => r.reward === 1)?.count ?? 0), 0);
      return wins / aggs.reduce((s, a) => s + a.rollouts, 0);
    };
    const byArchetype = (k: string) => run.archetypes.flatMap((a, i) => (a === k ? [acc(dataset[i].prompt)] : []));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(mean(byArchetype("never")) < 0.1);
    assert.ok(mean(byArchetype("solved")) > 0.8);
    for (const k of ["fast", "slow", "unstable", "forgotten"]) assert.ok(byArchetype(k).length > 0, k);
  });

  test("writes the matching dataset: [{id, prompt, answer, source}], a repeated prompt, every log prompt once trimmed", () => {
    const dataset = JSON.parse(readFileSync(run.datasetFile, "utf8")) as Record<string, string>[];
    assert.deepEqual(Object.keys(dataset[0]), ["id", "prompt", "answer", "source"]);
    assert.equal(dataset.length, shape.prompts + 1);
    assert.equal(new Set(dataset.map((r) => r.prompt)).size, shape.prompts);
    const naive = naiveAggregates(run.trainDir);
    for (const r of dataset) assert.ok(naive.has(r.prompt), r.prompt);
  });

  test("refuses a shape where an epoch needs more prompts than there are", async () => {
    await assert.rejects(generateRun({ dir: a.dir, prompts: 10, promptsPerStep: 6, stepsPerEpoch: 2 }), /must not exceed prompts/);
  });
});
