import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { ingestRun } from "../ingest/ingest-run";
import { runCli } from "./run-cli";

/**
 * 2 steps per epoch, steps 1..4; A is sampled in both steps of epoch 1.
 *   A: step 1 [1, -1], step 2 [1, 1], step 4 [1, 1]   by steps [3/4, 1]   by visits [1/2, 1, 1]
 *   B: step 1 [-1, -1], step 3 [1, -1]                 by steps [0, 1/2]   by visits [0, 1/2]
 *   C: step 2 [1, -1], step 3 [1, 1]                   by steps [1/2, 1]   by visits [1/2, 1]
 * By visits (window: 2, the visits every prompt had): avg = [1/3, 5/6], den = 17/36,
 * s_A = s_C = 1 - (2/36)/(17/36) = 15/17, s_B = 1 - (8/36)/(17/36) = 9/17.
 */
const STEPS: Record<number, [string, number[]][]> = {
  1: [["A", [1, -1]], ["B", [-1, -1]]],
  2: [["A", [1, 1]], ["C", [1, -1]]],
  3: [["B", [1, -1]], ["C", [1, 1]]],
  4: [["A", [1, 1]]],
};

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;
const scoresOf = (jsonl: string) => Object.fromEntries(jsonl.trimEnd().split("\n").map((l) => JSON.parse(l)).map((r) => [r.prompt, r.lim_score]));

describe("lim score / export --epochs steps|visits", () => {
  let db: TempDatabase;
  let dir: string;
  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-epochs-"));
    mkdirSync(path.join(dir, "train"));
    for (const [step, prompts] of Object.entries(STEPS)) {
      const rows = prompts.flatMap(([prompt, rewards]) => rewards.map((reward) => ({ prompt, response: "r", reward, response_length: 1 })));
      writeFileSync(path.join(dir, "train", `step_${step}.json`), JSON.stringify(rows, null, 4));
    }
    await ingestRun({ path: dir, name: "by-steps", stepsPerEpoch: 2, workers: 0 });
    await ingestRun({ path: dir, name: "by-visits", stepsPerEpoch: 2, epochMode: "visits", workers: 0 });
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("scores by each prompt's visits with --epochs visits", async () => {
    const r = await runCli(["score", "by-steps", "--epochs", "visits", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(s.params, { stepsPerEpoch: 2, successReward: 1, maxEpochs: 2, epochMode: "visits" });
    assert.deepEqual(s.visits, { fewest: 2, usual: 2, most: 3 });
    assert.ok(close(s.average[0], 1 / 3) && close(s.average[1], 5 / 6), JSON.stringify(s.average));
    assert.equal(s.scored, 3);
    assert.equal(s.selected, 2); // A and C at 15/17; B at 9/17 is under 0.6

    const text = await runCli(["score", "by-steps", "--epochs", "visits"]);
    assert.match(text.stdout, /epochs by visits, epochs 1-2/);
    assert.match(text.stdout, /2 visits reached by 95% of prompts \(fewest 2, most 3\)/);

    const e = await runCli(["export", "by-steps", "--epochs", "visits", "--threshold=-10", "--with-scores"]);
    const scores = scoresOf(e.stdout);
    assert.ok(close(scores.A, 15 / 17) && close(scores.B, 9 / 17) && close(scores.C, 15 / 17), JSON.stringify(scores));
  });

  it("uses the run's own rule by default, and --epochs steps overrides it", async () => {
    const own = scoresOf((await runCli(["export", "by-visits", "--threshold=-10", "--with-scores"])).stdout);
    assert.ok(close(own.A, 15 / 17), JSON.stringify(own));
    const steps = JSON.parse((await runCli(["score", "by-visits", "--epochs", "steps", "--json"])).stdout);
    assert.equal(steps.params.epochMode, "steps");
    // By steps A pools its two epoch-1 visits: avg = [(3/4 + 0 + 1/2)/3, 5/6].
    assert.ok(close(steps.average[0], 5 / 12), JSON.stringify(steps.average));
    assert.equal(steps.visits, undefined);
  });

  it("records the rule in the manifest and in the command that writes the file again", async () => {
    const out = path.join(dir, "v.jsonl");
    const r = await runCli(["export", "by-steps", "--epochs", "visits", "--max-epochs", "3", "--out", out, "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    assert.deepEqual(m.parameters, { stepsPerEpoch: 2, maxEpochs: 3, successReward: 1, epochMode: "visits" });
    assert.match(m.reproduce, /--epochs visits --max-epochs 3/);
    assert.equal(m.counts.excludedMissingEpochs, 2); // B and C have 2 visits, not 3
  });

  it("refuses an unknown rule and a window past the most visited prompt", async () => {
    const bad = await runCli(["score", "by-steps", "--epochs", "visit"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--epochs must be steps or visits, got "visit"/);
    const wide = await runCli(["score", "by-steps", "--epochs", "visits", "--max-epochs", "4"]);
    assert.equal(wide.code, 2);
    assert.match(wide.stderr, /exceeds the 3 visits of the most visited prompt/);
  });
});
