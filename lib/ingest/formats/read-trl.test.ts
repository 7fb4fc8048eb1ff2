import assert from "node:assert/strict";
import { readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { runCli } from "../../cli/run-cli";
import { generateTrl } from "../../demo/generate-trl";
import { getRun } from "../../db";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { IngestError } from "../errors";
import { ingestRun } from "../ingest-run";
import { assertRunMatches, readAll, type NaiveRollout } from "./reader-checks";
import { listTrlFiles, loggingInterval } from "./read-trl";
import { tempDir } from "../test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-trl-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

/** A naive recount: every row of every completions file, read with hyparquet. */
async function naive(dir: string, reward: (row: Record<string, unknown>) => number): Promise<NaiveRollout[]> {
  const out: NaiveRollout[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(path.join(dir, name)) })) as Record<string, unknown>[];
    for (const row of rows) {
      const p = row.prompt as string | { role: string; content: string }[];
      const text = typeof p === "string" ? p : p.filter((m) => m.role === "user").pop()!.content;
      const r = reward(row);
      out.push({ key: text.trim(), step: Number(row.step), reward: r, responseLength: (row.completion as string).length, success: r >= 1 });
    }
  }
  return out;
}

describe("ingesting TRL GRPOTrainer completions", () => {
  test("two reward functions are summed (and the user is told how to pick one); aggregates equal a naive recount", async () => {
    const gen = generateTrl({ dir: path.join(tmp.dir, "sum"), prompts: 30, epochs: 4, stepsPerEpoch: 3 });
    const messages: string[] = [];
    const run = await ingestRun({ path: gen.dir, name: "trl-sum", format: "auto", workers: 0, onMessage: (m) => messages.push(m) });
    assert.equal(run.format, "trl");
    assert.equal(run.bytesRead, gen.bytes);
    const sum = (row: Record<string, unknown>) => (row.accuracy_reward as number) + (row.format_reward as number);
    const rollouts = await naive(gen.completionsDir, sum);
    assert.equal(rollouts.length, gen.rollouts);
    await assertRunMatches("trl-sum", rollouts);
    assert.ok(messages.some((m) => m.startsWith("format: trl")), messages.join("\n"));
    const said = messages.filter((m) => m.includes("accuracy_reward + format_reward"));
    assert.equal(said.length, 1, messages.join("\n"));
    assert.match(said[0], /--reward-field accuracy_reward/);
    // The sum reaches the success reward with a wrong but well-formatted answer (0 + 1): the fixture exercises >=.
    assert.ok(rollouts.some((r) => r.reward === 1) && rollouts.some((r) => r.reward === 2));
  });

  test("--reward-field picks one column; prompts given as chat messages are keyed by the user message", async () => {
    const gen = generateTrl({ dir: path.join(tmp.dir, "chat"), chatPrompts: true, seed: 11 });
    const run = await ingestRun({ path: gen.completionsDir, name: "trl-acc", format: "trl", stepsPerEpoch: 3, fields: { reward: "accuracy_reward" }, workers: 0 });
    assert.equal(run.sampleCount, gen.questions.length);
    await assertRunMatches("trl-acc", await naive(gen.completionsDir, (row) => row.accuracy_reward as number));
  });

  test("completions logged every 10 steps: one note, no missing-step warnings; a real gap still warns", async () => {
    const gen = generateTrl({ dir: path.join(tmp.dir, "sparse"), prompts: 20, epochs: 10, stepsPerEpoch: 5, loggingSteps: 10 });
    assert.deepEqual(gen.steps, [10, 20, 30, 40, 50]);
    const run = await ingestRun({ path: gen.dir, name: "trl-sparse", format: "trl", stepsPerEpoch: 5, workers: 0 });
    assert.deepEqual(run.warnings, []);
    const notes = run.notes.filter((n) => n.includes("every 10 steps"));
    assert.equal(notes.length, 1, run.notes.join("\n"));
    assert.match(notes[0], /logging_steps = 10/);
    assert.match(notes[0], /trainer steps/);
    rmSync(path.join(gen.completionsDir, "completions_00030.parquet"));
    const listing = listTrlFiles(gen.dir);
    assert.deepEqual(listing.warnings.length, 1);
    assert.match(listing.warnings[0], /step 30 is missing/);
  });

  test("the logging interval allows logging_first_step and a last log at the end of training", () => {
    assert.equal(loggingInterval([10, 20, 30]), 10);
    assert.equal(loggingInterval([1, 10, 20, 30, 35]), 10);
    assert.equal(loggingInterval([1, 2, 3, 5]), 1);
    assert.equal(loggingInterval([2, 4, 6, 8]), 2);
    assert.equal(loggingInterval([7]), 1);
  });

  test("completions no reward function scored are left out, and counted", async () => {
    const dir = path.join(tmp.dir, "none", "completions");
    mkdirSync(dir, { recursive: true });
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "step", data: [1n, 1n, 1n], type: "INT64" },
        { name: "prompt", data: ["Q", "Q", "R"], type: "STRING" },
        { name: "completion", data: ["a", "bb", "ccc"], type: "STRING" },
        { name: "judge", data: [1, null, 0.5], type: "DOUBLE", nullable: true },
        { name: "advantage", data: [0, 0, 0], type: "DOUBLE" },
      ],
    });
    writeFileSync(path.join(dir, "completions_00001.parquet"), new Uint8Array(buf));
    const messages: string[] = [];
    const batches = await readAll("trl", dir, { onMessage: (m) => messages.push(m) });
    assert.equal(batches[0].rollouts, 2);
    assert.deepEqual(batches[0].prompts, ["Q", "R"]);
    assert.ok(messages.some((m) => /^1 completions have no reward in judge/.test(m)), messages.join("\n"));
  });

  for (const [what, fields, pattern] of [
    ["an unknown --reward-field", { reward: "nope" }, /no column "nope" \(--reward-field\); reward columns: accuracy_reward, format_reward, or "sum"/],
    ["a missing --id-field", { id: "uid" }, /completions_00001\.parquet: row 1: field "uid" is missing \(--id-field/],
  ] as const) {
    test(`${what} is an error naming the file and leaves no run`, async () => {
      const gen = generateTrl({ dir: path.join(tmp.dir, what.replace(/\W+/g, "-")), prompts: 6, epochs: 1, stepsPerEpoch: 1 });
      await assert.rejects(ingestRun({ path: gen.dir, name: "trl-bad", format: "trl", fields, stepsPerEpoch: 1, workers: 0 }), (e: Error) => {
        assert.ok(e instanceof IngestError, String(e));
        assert.match(e.message, pattern);
        return true;
      });
      assert.equal(await getRun("trl-bad"), null);
    });
  }

  test("a step column that disagrees with the file name names file, row and field", async () => {
    const dir = path.join(tmp.dir, "step", "completions");
    mkdirSync(dir, { recursive: true });
    const buf = parquetWriteBuffer({
      columnData: [
        { name: "step", data: [2n, 3n], type: "INT64" },
        { name: "prompt", data: ["Q", "Q"], type: "STRING" },
        { name: "completion", data: ["a", "b"], type: "STRING" },
        { name: "r", data: [1, 0], type: "DOUBLE" },
      ],
    });
    writeFileSync(path.join(dir, "completions_00002.parquet"), new Uint8Array(buf));
    await assert.rejects(readAll("trl", dir), /completions_00002\.parquet: row 2: field "step" is a number \(3\) but the file is step 2/);
  });

  test("lim ingest recognises a TRL output dir by itself", async () => {
    const gen = generateTrl({ dir: path.join(tmp.dir, "cli"), prompts: 9, epochs: 2, stepsPerEpoch: 3 });
    const r = await runCli(["ingest", gen.dir, "--name", "trl-cli", "--steps-per-epoch", "3", "--reward-field", "sum"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /format: trl \(6 completions_NNNNN\.parquet in .*completions\)/);
    assert.equal((await getRun("trl-cli"))!.rolloutCount, gen.rollouts);
  });
});
