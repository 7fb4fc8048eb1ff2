import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { runCli } from "./run-cli";

/**
 * A run small enough to score by hand: 2 steps per epoch, steps 1..7 (epoch 4 incomplete).
 *   A: [1, -0.5] | [1, 1] | [1, 1]            -> 0.5, 1, 1
 *   B: - | [1, -1, -1, -1] | [1, -1]           -> (back-filled 0.25), 0.25, 0.5
 *   C: [-1, -1] | - | -                        -> excluded: epochs 2 and 3 stay missing
 *   D: " D " [-1, -0.5] | "D" [1, -1] | [1, 1] -> 0, 0.5, 1 (keys trimmed)
 *   E: only in step 7                          -> excluded: not in the 3 complete epochs
 * avg = [1/4, 7/12, 5/6]; denominator = 110/144
 * s_A = 1 - 38/110 = 36/55, s_B = 1 - 32/110 = 39/55, s_D = 1 - 14/110 = 48/55
 */
const STEPS: Record<number, [string, number[]][]> = {
  1: [["A", [1, -0.5]], [" D\n", [-1, -0.5]]],
  2: [["C", [-1, -1]]],
  3: [["A", [1, 1]], ["D", [1, -1]]],
  4: [["B", [1, -1, -1, -1]]],
  5: [["A", [1, 1]]],
  6: [["B", [1, -1]], ["D", [1, 1]]],
  7: [["E", [1, 1]]],
};
const DATASET = [
  { id: 1, prompt: "A", answer: "a" },
  { id: 2, prompt: "B", answer: "b" },
  { id: 3, prompt: "C", answer: "c" },
  { id: 4, prompt: "Z", answer: "never trained on" },
  { prompt: "D", id: 5, answer: "d" },
  { id: 6, prompt: "B", answer: "b again" },
];

function writeRun(dir: string): void {
  for (const [step, prompts] of Object.entries(STEPS)) {
    const rows = prompts.flatMap(([prompt, rewards]) =>
      rewards.map((reward, i) => ({ prompt, response: `answer ${i} to ${prompt}`, reward, response_length: 10 + i })),
    );
    writeFileSync(path.join(dir, "train", `step_${step}.json`), JSON.stringify(rows, null, 4));
  }
  writeFileSync(path.join(dir, "dataset.json"), JSON.stringify(DATASET, null, 2));
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

describe("a hand-computed run through the CLI", () => {
  let db: TempDatabase;
  let dir: string;
  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-hand-"));
    await import("node:fs").then((fs) => fs.mkdirSync(path.join(dir, "train")));
    writeRun(dir);
    const r = await runCli(["ingest", dir, "--name", "hand", "--steps-per-epoch", "2", "--dataset", path.join(dir, "dataset.json")]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => db.cleanup());

  it("scores, excludes and averages as computed by hand", async () => {
    const r = await runCli(["score", "hand", "--threshold", "0.7", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.prompts, 5);
    assert.equal(s.scored, 3);
    assert.deepEqual(s.excluded, { total: 2, missingEpochs: 2, undefinedScore: 0 });
    assert.equal(s.params.maxEpochs, 3);
    assert.ok([1 / 4, 7 / 12, 5 / 6].every((v, k) => close(v, s.average[k])), JSON.stringify(s.average));
    assert.equal(s.selected, 2);
  });

  it("exports the selected prompts' dataset rows, unchanged, in dataset order, with every repeat", async () => {
    const r = await runCli(["export", "hand", "--threshold", "0.7", "--with-scores"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => x.id), [2, 5, 6]);
    assert.ok(close(rows[0].lim_score, 39 / 55));
    assert.ok(close(rows[1].lim_score, 48 / 55));
    assert.deepEqual(Object.keys(rows[1]), ["prompt", "id", "answer", "lim_score"]);
    const plain = await runCli(["export", "hand", "--threshold", "0.7"]);
    assert.equal(plain.stdout, [DATASET[1], DATASET[4], DATASET[5]].map((x) => JSON.stringify(x) + "\n").join(""));
  });

  it("re-scores with other parameters without re-ingesting", async () => {
    // Epochs 1..2 only: avg = [1/4, 7/12]; A = 1 - (1/16 + 25/144) / (81/144 + 25/144) = 72/106.
    const r = await runCli(["export", "hand", "--max-epochs", "2", "--threshold=-100", "--with-scores"]);
    const a = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)).find((x) => x.id === 1);
    assert.ok(close(a.lim_score, 72 / 106), String(a.lim_score));
    // Success reward -0.5: A's epoch-1 accuracy becomes 0.5, D's 0.5, the rest 0.
    const s = JSON.parse((await runCli(["score", "hand", "--success-reward=-0.5", "--json"])).stdout);
    assert.ok(close(s.average[0], (0.5 + 0 + 0.5) / 3), JSON.stringify(s.average));
    const tooMany = await runCli(["score", "hand", "--max-epochs", "4"]);
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /3 complete epochs/);
  });
});
