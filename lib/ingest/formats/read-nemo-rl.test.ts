import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../cli/run-cli";
import { generateNemoRl } from "../../demo/generate-nemo-rl";
import { getRun, listRuns } from "../../db";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { IngestError } from "../errors";
import { ingestRun } from "../ingest-run";
import { promptsOf } from "../scan/pack-step-batch";
import { assertRunMatches, readAll, type NaiveRollout } from "./reader-checks";
import { tempDir } from "../test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-nemo-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

interface Line {
  content: string[][];
  rewards: number[];
  token_loss_mask: number[][];
}

/** A naive recount: the prompt is every turn but the last, the length the generated tokens. */
function naive(dir: string): NaiveRollout[] {
  const out: NaiveRollout[] = [];
  for (const name of readdirSync(dir)) {
    const step = Number(/^train_data_step(\d+)\.jsonl$/.exec(name)![1]);
    for (const l of readFileSync(path.join(dir, name), "utf8").split("\n").filter(Boolean)) {
      const r = JSON.parse(l) as Line;
      const turns = r.content[0];
      out.push({
        key: turns.slice(0, -1).join("").trim(),
        step,
        reward: r.rewards[0],
        responseLength: r.token_loss_mask[0].filter((x) => x === 1).length,
        success: r.rewards[0] >= 1,
      });
    }
  }
  return out;
}

function writeStep(dir: string, step: number, lines: (Record<string, unknown> | string)[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `train_data_step${step}.jsonl`), lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l)) + "\n").join(""));
  return dir;
}

const line = (content: string[], reward: number, mask = [0, 0, 1, 1], idx = 0) => ({ content: [content], rewards: [reward], token_loss_mask: [mask], idx });

describe("ingesting NeMo-RL train_data_stepN.jsonl", () => {
  test("--format auto finds them; aggregates equal a naive recount (prompt = the turns before the response)", async () => {
    const gen = generateNemoRl({ dir: path.join(tmp.dir, "plain"), prompts: 24, epochs: 4, stepsPerEpoch: 3 });
    const messages: string[] = [];
    const run = await ingestRun({ path: gen.dir, name: "nemo", stepsPerEpoch: 3, workers: 0, onMessage: (m) => messages.push(m) });
    assert.equal(run.format, "nemo-rl");
    assert.equal(run.bytesRead, gen.bytes);
    assert.equal(run.sampleCount, gen.questions.length);
    await assertRunMatches("nemo", naive(gen.dir));
    assert.ok(messages.some((m) => /^format: nemo-rl \(12 train_data_stepN\.jsonl in /.test(m)), messages.join("\n"));
  });

  test("a system prompt in its own turn is part of the prompt, one prompt per question still", async () => {
    const gen = generateNemoRl({ dir: path.join(tmp.dir, "system"), systemTurn: true, prompts: 12, seed: 8 });
    const run = await ingestRun({ path: gen.dir, name: "nemo-sys", format: "nemo-rl", stepsPerEpoch: 3, workers: 0 });
    assert.equal(run.sampleCount, 12);
    await assertRunMatches("nemo-sys", naive(gen.dir));
  });

  test("a multi-turn rollout asks for the question's turn; --prompt-field content.0 names it", async () => {
    const dir = writeStep(path.join(tmp.dir, "multi"), 1, [line(["Q1", "a", "tool says", "b"], 1, [0, 1, 0, 1]), line(["Q1", "c", "tool says", "d"], 0, [0, 1, 0, 1], 1)]);
    await assert.rejects(readAll("nemo-rl", dir), /train_data_step1\.jsonl:1: field "content" holds a multi-turn rollout \(2 generated turns.*--prompt-field content\.0/);
    const [b] = await readAll("nemo-rl", dir, { fields: { prompt: "content.0" } });
    assert.deepEqual(promptsOf(b), ["Q1"]);
    assert.equal(b.rollouts, 2);
  });

  test("--id-field idx is refused: NeMo-RL's idx numbers the lines of a file", async () => {
    const gen = generateNemoRl({ dir: path.join(tmp.dir, "idx"), prompts: 3, epochs: 1, stepsPerEpoch: 1 });
    await assert.rejects(ingestRun({ path: gen.dir, name: "nemo-idx", format: "nemo-rl", fields: { id: "idx" }, workers: 0 }), /idx is the line's position/);
  });

  for (const [what, bad, pattern] of [
    ["bad JSON", '{"content": [["Q", "a"]], "rewards": [', /train_data_step2\.jsonl:3: not valid JSON/],
    ["missing rewards", JSON.stringify({ content: [["Q", "a"]], idx: 2 }), /train_data_step2\.jsonl:3: field "rewards" is missing/],
    ["a text reward", JSON.stringify({ content: [["Q", "a"]], rewards: ["high"], idx: 2 }), /train_data_step2\.jsonl:3: field "rewards" must be a finite number/],
    ["a reward written as text", JSON.stringify({ content: [["Q", "a"]], rewards: ["1.0"], idx: 2 }), /train_data_step2\.jsonl:3: field "rewards" must be a finite number, got a string \("1\.0"\); it is a number written as text/],
    ["a raw tab in a turn", JSON.stringify({ content: [["Q", "TAB"]], rewards: [1], idx: 2 }).replace("TAB", "a\tb"), /train_data_step2\.jsonl:3: field "content\.0\.1" holds a raw control character U\+0009 \(tab\)/],
    ["content without a response", JSON.stringify({ content: [["Q"]], rewards: [1], idx: 2 }), /train_data_step2\.jsonl:3: field "content" is .*expected the turn texts/],
  ] as const) {
    test(`${what} names file, line and field and leaves no run`, async () => {
      const dir = path.join(tmp.dir, what.replace(/\W+/g, "-"));
      writeStep(dir, 1, [line(["Q", "a"], 1)]);
      writeStep(dir, 2, [line(["Q", "a"], 1), line(["Q", "b"], 0, undefined, 1), bad]);
      const runs = (await listRuns()).length;
      await assert.rejects(ingestRun({ path: dir, name: "nemo-bad", format: "nemo-rl", stepsPerEpoch: 1, workers: 0 }), (e: Error) => {
        assert.ok(e instanceof IngestError, String(e));
        assert.match(e.message, pattern);
        return true;
      });
      assert.equal(await getRun("nemo-bad"), null);
      assert.equal((await listRuns()).length, runs);
    });
  }

  test("lim ingest --format nemo-rl --reward-field filtered_rewards reads that field", async () => {
    const dir = writeStep(path.join(tmp.dir, "filtered"), 1, [
      { ...line(["Q", "a"], 1), filtered_rewards: [0] },
      { ...line(["Q", "b"], 0, undefined, 1), filtered_rewards: [1] },
    ]);
    const r = await runCli(["ingest", dir, "--name", "nemo-f", "--format", "nemo-rl", "--reward-field", "filtered_rewards", "--steps-per-epoch", "1"]);
    assert.equal(r.code, 0, r.stderr);
    await assertRunMatches("nemo-f", [
      { key: "Q", step: 1, reward: 0, responseLength: 2, success: false },
      { key: "Q", step: 1, reward: 1, responseLength: 2, success: true },
    ]);
  });
});
