import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { runCli } from "../cli/run-cli";
import { getExamples, getRun } from "../db";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { generateGeneric } from "../demo/generate-generic";
import { generateTrl } from "../demo/generate-trl";
import { generateVerl } from "../demo/generate-verl";
import { computeLim, orNull, sampleScore } from "../lim/lim-score";
import type { LimResult, StepCounts } from "../lim/types";
import { scoreRun, type ScoredRun } from "../runs/score-run";
import { ingestRun, type IngestOptions } from "./ingest-run";
import { rollout, tempDir, writeSteps } from "./test-helpers";

/**
 * Success rules end to end: a run read from rewards re-scores for any success reward without
 * a re-ingest (the same scores as reading it with that success reward, and as a naive
 * recount), a run whose success was logged refuses another one, OpenRLHF keeps equality.
 */

let db: TempDatabase;
const tmp = tempDir("lim-success-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

interface Rollout {
  key: string;
  step: number;
  reward: number;
}

/**
 * LIM from the raw rollouts: successes counted here by reward >= R, prompts in order of
 * first appearance, scored by lib/lim's reference computeLim.
 */
function naiveScores(rollouts: readonly Rollout[], successReward: number, stepsPerEpoch: number, order: readonly string[]) {
  const per = new Map<string, Map<number, StepCounts>>();
  let lastStep = 0;
  for (const r of rollouts) {
    let steps = per.get(r.key);
    if (!steps) per.set(r.key, (steps = new Map()));
    let s = steps.get(r.step);
    if (!s) steps.set(r.step, (s = { step: r.step, rollouts: 0, successes: 0, rewardSum: 0, responseLengthSum: 0 }));
    s.rollouts++;
    if (r.reward >= successReward) s.successes++;
    lastStep = Math.max(lastStep, r.step);
  }
  const samples = order.map((k) => [...per.get(k)!.values()].sort((a, b) => a.step - b.step));
  return computeLim(samples, { stepsPerEpoch, maxEpochs: null, successReward }, lastStep);
}

/** Each prompt's per-epoch accuracy, null where undefined. */
const accuracies = (lim: LimResult) => Array.from({ length: lim.prompts }, (_, i) => sampleScore(lim, i).accuracy);
/** Each prompt's LIM score, null when excluded. */
const scoresOfLim = (lim: LimResult) => Array.from(lim.scores, orNull);

const scoresOf = (s: ScoredRun) => ({ prompts: s.prompts, scores: s.scores, accuracy: accuracies(s.lim!), average: s.lim!.average });

async function ingestTwice(o: Omit<IngestOptions, "name" | "successReward">, name: string) {
  const at1 = await ingestRun({ ...o, name: `${name}-1`, successReward: 1, workers: 0 });
  const at05 = await ingestRun({ ...o, name: `${name}-05`, successReward: 0.5, workers: 0 });
  return { at1, at05 };
}

/** `lim score --json` without the run's name, for comparing two runs. */
async function scoreJson(args: string[]): Promise<unknown> {
  const r = await runCli(["score", ...args, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  delete s.run;
  return s;
}

describe("re-scoring with another success reward", () => {
  test("JSONL with rewards 0 / 0.5 / 1, read with success reward 1 and re-scored with 0.5, scores as read with 0.5 and as a naive recount", async () => {
    const gen = generateGeneric({ out: path.join(tmp.dir, "g", "rollouts.jsonl"), kind: "jsonl", prompts: 30, epochs: 4, stepsPerEpoch: 3 });
    assert.deepEqual([...new Set(gen.rows.map((r) => r.reward))].sort(), [0, 0.5, 1]);
    const { at1, at05 } = await ingestTwice({ path: gen.path, stepsPerEpoch: 3 }, "g");
    assert.deepEqual([at1.successRule, at05.successRule], ["at-least", "at-least"]);

    const rescored = await scoreRun("g-1", { successReward: 0.5 });
    assert.deepEqual(scoresOf(rescored), scoresOf(await scoreRun("g-05")));
    const naive = naiveScores(gen.rows.map((r) => ({ key: r.prompt.trim(), step: r.step, reward: r.reward })), 0.5, 3, rescored.prompts);
    assert.deepEqual(rescored.scores, scoresOfLim(naive));
    assert.deepEqual(accuracies(rescored.lim!), accuracies(naive));
    // The success reward really changes the count: at 1 the scores differ.
    assert.notDeepEqual((await scoreRun("g-1")).scores, rescored.scores);
    assert.deepEqual((await scoreRun("g-05", { successReward: 1 })).scores, (await scoreRun("g-1")).scores);

    // The CLI and the export agree, byte for byte.
    assert.deepEqual(await scoreJson(["g-1", "--success-reward", "0.5"]), await scoreJson(["g-05"]));
    const e1 = await runCli(["export", "g-1", "--success-reward", "0.5", "--with-scores", "--threshold=-10"]);
    const e05 = await runCli(["export", "g-05", "--with-scores", "--threshold=-10"]);
    assert.equal(e1.code, 0, e1.stderr);
    assert.equal(e1.stdout, e05.stdout);
    const text = await runCli(["score", "g-1", "--success-reward", "0.5"]);
    assert.match(text.stdout, /^run g-1: 3 steps per epoch, epochs 1-4, success: reward >= 0\.5$/m);

    // Examples are marked by the rule and the success reward of the ingest.
    const marks = async (name: string) => {
      const run = (await getRun(name))!;
      const out: boolean[] = [];
      for (let o = 0; o < run.sampleCount; o++) for (const e of await getExamples(run.id, o)) if (e.reward === 0.5) out.push(e.success);
      return out;
    };
    const [m1, m05] = [await marks("g-1"), await marks("g-05")];
    assert.ok(m1.length > 0 && m1.every((s) => !s), "0.5 is a failure at success reward 1");
    assert.ok(m05.length > 0 && m05.every((s) => s), "0.5 is a success at success reward 0.5");
  });

  test("TRL with a partial-credit reward column: re-scored with 0.5 as read with 0.5 and as a naive recount", async () => {
    const gen = generateTrl({ dir: path.join(tmp.dir, "trl"), prompts: 24, epochs: 3, stepsPerEpoch: 3, rewardFuncs: ["accuracy_reward", "format_reward", "partial_reward"] });
    const fields = { reward: "partial_reward" };
    const { at1 } = await ingestTwice({ path: gen.dir, stepsPerEpoch: 3, fields }, "trl");
    assert.equal(at1.successRule, "at-least");
    const rescored = await scoreRun("trl-1", { successReward: 0.5 });
    assert.deepEqual(scoresOf(rescored), scoresOf(await scoreRun("trl-05")));

    const rollouts: Rollout[] = [];
    for (const name of readdirSync(gen.completionsDir).sort()) {
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path.join(gen.completionsDir, name)) })) as Record<string, unknown>[];
      for (const row of rows) rollouts.push({ key: (row.prompt as string).trim(), step: Number(row.step), reward: row.partial_reward as number });
    }
    assert.ok(rollouts.some((r) => r.reward === 0.5) && rollouts.some((r) => r.reward > 0.5 && r.reward < 1), "rewards between 0.5 and 1 exercise >=");
    assert.deepEqual(rescored.scores, scoresOfLim(naiveScores(rollouts, 0.5, 3, rescored.prompts)));
    assert.notDeepEqual((await scoreRun("trl-1")).scores, rescored.scores);
  });

  test("verl without acc re-scores by score >= R; with acc the run is logged and refuses another success reward", async () => {
    const plain = generateVerl({ dir: path.join(tmp.dir, "verl-plain"), prompts: 24, epochs: 3, stepsPerEpoch: 3, acc: false, seed: 2 });
    const { at1 } = await ingestTwice({ path: plain.dir, format: "verl", stepsPerEpoch: 3 }, "verl-plain");
    assert.equal(at1.successRule, "at-least");
    const rescored = await scoreRun("verl-plain-1", { successReward: 0.5 });
    assert.deepEqual(scoresOf(rescored), scoresOf(await scoreRun("verl-plain-05")));
    const rollouts: Rollout[] = [];
    for (let step = 1; step <= plain.steps; step++) {
      for (const line of readFileSync(path.join(plain.dir, `${step}.jsonl`), "utf8").split("\n").filter(Boolean)) {
        const r = JSON.parse(line) as { input: string; score: number };
        rollouts.push({ key: r.input.trim(), step, reward: r.score });
      }
    }
    assert.ok(rollouts.some((r) => r.reward > 0.5 && r.reward < 1), "scores of 0.8 exercise >=");
    assert.deepEqual(rescored.scores, scoresOfLim(naiveScores(rollouts, 0.5, 3, rescored.prompts)));

    const acc = generateVerl({ dir: path.join(tmp.dir, "verl-acc"), prompts: 24, epochs: 3, stepsPerEpoch: 3, seed: 2 });
    const messages: string[] = [];
    const run = await ingestRun({ path: acc.dir, name: "verl-acc", format: "verl", stepsPerEpoch: 3, workers: 0, onMessage: (m) => messages.push(m) });
    assert.equal(run.successRule, "logged");
    assert.ok(messages.some((m) => m.startsWith('success: as logged per rollout in field "acc"')), messages.join("\n"));
    for (const cmd of ["score", "export"]) {
      const r = await runCli([cmd, "verl-acc", "--success-reward", "0.5"]);
      assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, /success reward 0\.5: success is logged per rollout \(verl's acc \/ --success-field\); the success reward does not apply/);
    }
    await assert.rejects(scoreRun("verl-acc", { successReward: 0.5 }), /does not apply/);
    const own = await runCli(["score", "verl-acc", "--success-reward", "1"]);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /^run verl-acc: 3 steps per epoch, epochs 1-3, success: as logged \(acc\)$/m);
    // Success came from acc on every line: the success reward read with does not change a score.
    const at05 = await ingestRun({ path: acc.dir, name: "verl-acc-05", format: "verl", stepsPerEpoch: 3, successReward: 0.5, workers: 0 });
    assert.equal(at05.successRule, "logged");
    assert.deepEqual((await scoreRun("verl-acc-05")).scores, (await scoreRun("verl-acc")).scores);
  });

  test("--success-field makes a run logged and names its field", async () => {
    const gen = generateGeneric({ out: path.join(tmp.dir, "flag", "rollouts.csv"), kind: "csv", prompts: 20, epochs: 3, stepsPerEpoch: 3 });
    const run = await ingestRun({ path: gen.path, name: "flagged", stepsPerEpoch: 3, fields: { success: "correct" }, workers: 0 });
    assert.equal(run.successRule, "logged");
    assert.ok(run.notes.some((n) => n.includes('"correct"')), run.notes.join("\n"));
    const text = await runCli(["score", "flagged"]);
    assert.match(text.stdout, /success: as logged \(correct\)$/m);
    assert.equal((await runCli(["score", "flagged", "--success-reward", "0.5"])).code, 2);
    // Each prompt's accuracy is its rate of logged successes (rewards of 0.5 with a false flag included).
    const scored = await scoreRun("flagged");
    const first = gen.rows.filter((r) => r.prompt.trim() === scored.prompts[0] && r.step <= 3);
    assert.equal(sampleScore(scored.lim!, 0).accuracy[0], first.filter((r) => r.success).length / first.length);
  });

  test("OpenRLHF keeps the reference's equality: another success reward counts only rewards equal to it", async () => {
    const dir = writeSteps(path.join(tmp.dir, "openrlhf"), {
      1: [rollout("A", 1), rollout("A", 0.5), rollout("A", 0), rollout("B", 0.5)],
      2: [rollout("A", 1), rollout("A", 1), rollout("B", 1), rollout("B", 0)],
    });
    const run = await ingestRun({ path: dir, name: "openrlhf", stepsPerEpoch: 1, workers: 0 });
    assert.equal(run.successRule, "equals");
    const acc = async (successReward: number) => accuracies((await scoreRun("openrlhf", { successReward })).lim!);
    assert.deepEqual(await acc(1), [[1 / 3, 1], [0, 1 / 2]]);
    assert.deepEqual(await acc(0.5), [[1 / 3, 0], [1, 0]]);
    assert.match((await runCli(["score", "openrlhf"])).stdout, /success: reward = 1$/m);
  });
});
