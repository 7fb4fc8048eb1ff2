import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../cli/run-cli";
import { generateGeneric, type GenericRow } from "../../demo/generate-generic";
import { getRun, listRuns } from "../../db";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { IngestError } from "../errors";
import { ingestRun } from "../ingest-run";
import { promptsOf } from "../scan/pack-step-batch";
import { assertRunMatches, readAll, type NaiveRollout } from "./reader-checks";
import { tempDir } from "../test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-generic-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

const recount = (rows: GenericRow[], success: (r: GenericRow) => boolean): NaiveRollout[] =>
  rows.map((r) => ({ key: r.prompt.trim(), step: r.step, reward: r.reward, responseLength: r.response.length, success: success(r) }));

function write(name: string, text: string): string {
  const file = path.join(tmp.dir, "bad", name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe("ingesting generic JSONL and CSV logs", () => {
  test("one JSONL file with the default field names: success is reward >= the success reward", async () => {
    const gen = generateGeneric({ out: path.join(tmp.dir, "one", "rollouts.jsonl"), kind: "jsonl" });
    const files: [number, number][] = [];
    const run = await ingestRun({ path: gen.path, name: "jsonl-one", stepsPerEpoch: 3, workers: 0, onProgress: (p) => p.phase === "read" && files.push([p.filesDone, p.filesTotal]) });
    assert.equal(run.format, "jsonl");
    // Progress counts the one file, not its steps.
    assert.deepEqual(files.at(-1), [1, 1]);
    assert.ok(files.every(([done, total]) => done <= total), JSON.stringify(files));
    assert.ok(gen.rows.some((r) => r.reward === 0.5), "the fixture has partial credit");
    await assertRunMatches("jsonl-one", recount(gen.rows, (r) => r.reward >= 1));
  });

  test("a folder of CSV files, rows out of step order and spread over files, fields mapped by flags", async () => {
    const names = { prompt: "question", step: "global_step", reward: "score", response: "answer_text", success: "is_correct" };
    const gen = generateGeneric({ out: path.join(tmp.dir, "csv"), kind: "csv", files: 3, shuffleRows: true, names, seed: 4 });
    const r = await runCli([
      "ingest", gen.path, "--name", "csv-dir", "--steps-per-epoch", "3", "--prompt-field", "question", "--step-field", "global_step",
      "--reward-field", "score", "--response-field", "answer_text", "--success-field", "is_correct",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /format: csv \(3 \.csv files in /);
    const run = await assertRunMatches("csv-dir", recount(gen.rows, (x) => x.success));
    assert.equal(run.bytesRead, gen.files.reduce((s, f) => s + readFileSync(f).length, 0));
  });

  test("--id-field with a dotted path keys prompts by the id", async () => {
    const gen = generateGeneric({ out: path.join(tmp.dir, "ids", "log.jsonl"), kind: "jsonl", names: { id: "meta.uid" }, prompts: 10 });
    const batches = await readAll("jsonl", gen.path, { fields: { id: "meta.uid" } });
    const keys = new Set(batches.flatMap((b) => promptsOf(b)));
    assert.deepEqual([...keys].sort(), [...new Set(gen.rows.map((r) => r.id))].sort());
    const run = await ingestRun({ path: gen.path, name: "jsonl-ids", format: "jsonl", fields: { id: "meta.uid" }, stepsPerEpoch: 3, workers: 0 });
    assert.equal(run.sampleCount, 10);
  });

  for (const [what, name, text, pattern] of [
    ["bad JSON", "a.jsonl", '{"prompt":"Q","step":1,"reward":1}\n{"prompt": "Q", \n', /a\.jsonl:2: not valid JSON/],
    ["a missing prompt", "b.jsonl", '{"prompt":"Q","step":1,"reward":1}\n\n{"step":1,"reward":1}\n', /b\.jsonl:3: field "prompt" is missing \(--prompt-field; the row has: step, reward\)/],
    ["a text reward", "c.jsonl", '{"prompt":"Q","step":1,"reward":"yes"}\n', /c\.jsonl:1: field "reward" must be a finite number, got a string \("yes"\)/],
    ["a fractional step", "d.jsonl", '{"prompt":"Q","step":2.5,"reward":1}\n', /d\.jsonl:1: field "step" must be an integer >= 1/],
    ["step 0", "e.jsonl", '{"prompt":"Q","step":0,"reward":1}\n', /e\.jsonl:1: field "step" must be an integer >= 1/],
    ["a CSV text reward", "f.csv", "prompt,step,reward\nQ,1,1\nQ,1,n/a\n", /f\.csv:3: field "reward" must be a finite number, got a string \("n\/a"\)/],
    ["a CSV without the step column", "g.csv", "prompt,reward\nQ,1\n", /g\.csv:2: field "step" is missing \(--step-field; the row has: prompt, reward\)/],
    ["a CSV row with too many cells", "h.csv", "prompt,step,reward\nQ,1,1,9\n", /h\.csv: not valid CSV .*line 2/],
    ["a CSV success that is not a flag", "i.csv", "prompt,step,reward,ok\nQ,1,1,maybe\n", /i\.csv:2: field "ok" must be true\/false/],
    ["a JSONL reward written as text", "j.jsonl", '{"prompt":"Q","step":1,"reward":"1.0"}\n', /j\.jsonl:1: field "reward" must be a finite number, got a string \("1\.0"\); it is a number written as text: write it without quotes/],
    ["a JSONL step written as text", "k.jsonl", '{"prompt":"Q","step":"1","reward":1}\n', /k\.jsonl:1: field "step" must be an integer >= 1 .*got a string \("1"\); it is a number written as text/],
    ["a CSV column without a name", "l.csv", "prompt,,step,reward\nQ,x,1,1\n", /l\.csv: line 1: column 2 of the header has no name/],
    ["an empty CSV prompt cell", "m.csv", "prompt,step,reward\n,1,1\n", /m\.csv:2: field "prompt" is missing/],
  ] as const) {
    test(`${what} names file, line and field and leaves no run`, async () => {
      const file = write(name, text);
      const runs = (await listRuns()).length;
      const fields = name === "i.csv" ? { success: "ok" } : undefined;
      await assert.rejects(ingestRun({ path: file, name: "generic-bad", fields, stepsPerEpoch: 1, workers: 0 }), (e: Error) => {
        assert.ok(e instanceof IngestError, String(e));
        assert.match(e.message, pattern);
        assert.ok(e.message.startsWith(file), e.message);
        return true;
      });
      assert.equal(await getRun("generic-bad"), null);
      assert.equal((await listRuns()).length, runs);
    });
  }

  test("an empty JSON prompt is a prompt, as in every other JSON reader; numeric CSV text is a number", async () => {
    const [j] = await readAll("jsonl", write("empty.jsonl", '{"prompt":"","step":1,"reward":1}\n'));
    assert.deepEqual(promptsOf(j), [""]);
    const [c] = await readAll("csv", write("text.csv", "prompt,step,reward\nQ,1.0,0.5\n"));
    assert.equal(c.step, 1);
    assert.deepEqual([...c.agg.rewardSum], [0.5]);
  });

  test("--step-field is refused for formats whose steps come from file names", async () => {
    const gen = generateGeneric({ out: path.join(tmp.dir, "flags", "x.jsonl"), kind: "jsonl", prompts: 3 });
    const r = await runCli(["ingest", gen.path, "--name", "x", "--format", "verl", "--step-field", "t"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--step-field applies to --format jsonl\|csv/);
  });
});
