import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { getDatasetRows, getRun, loadRunColumns, loadSamples } from "../../db";
import { rolloutTotals } from "../../lim/run-columns";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { datasetRows, flatRow, writeCsvDataset, writeJsonDataset, writeJsonlDataset, writeParquetDataset, type VerlDatasetRow } from "../../demo/generate-datasets";
import { chatTemplate, generateVerl, type GeneratedVerlRun } from "../../demo/generate-verl";
import { exportFile } from "../../export/export-file";
import { scoreRun } from "../../runs/score-run";
import { ingestRun, type IngestOptions } from "../ingest-run";
import { tempDir } from "../test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-join-");
let gen: GeneratedVerlRun;
let rows: VerlDatasetRow[];
const file = (ext: string) => path.join(tmp.dir, `math.${ext}`);

before(async () => {
  db = await useTempDatabase();
  gen = generateVerl({ dir: path.join(tmp.dir, "rollouts"), prompts: 30, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, index: true, seed: 5 });
  rows = datasetRows({ questions: gen.questions, answers: gen.answers, untrained: 3, extras: true });
  writeJsonDataset(file("json"), rows);
  writeJsonlDataset(file("jsonl"), rows);
  writeCsvDataset(file("csv"), rows);
  writeParquetDataset(file("parquet"), rows, true);
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

async function ingest(name: string, o: Partial<IngestOptions>) {
  const messages: string[] = [];
  const run = await ingestRun({ path: gen.dir, name, format: "verl", stepsPerEpoch: 3, keepExamples: 0, onMessage: (m) => messages.push(m), ...o });
  return { run, messages, samples: await loadSamples(run.id) };
}

/** The dataset row (file order) of each question of the log. */
const rowOf = (question: string) => rows.findIndex((r) => r.prompt[0].content === question);

describe("joining a chat-templated verl log to its dataset", () => {
  test("by id: the log's `index` is the Parquet dataset's extra_info.index; samples show the dataset question", async () => {
    const { run, messages, samples } = await ingest("by-id", { fields: { id: "index" }, dataset: { file: file("parquet") } });
    assert.deepEqual([run.idField, run.datasetFormat, run.sampleCount, run.unmatchedPrompts, run.unseenDatasetRows], ["index", "parquet", 30, 0, 3]);
    const note = 'matched 30 of 30 log prompts to rows of math.parquet: 30 by id (log field "index", dataset field "extra_info.index")';
    assert.deepEqual(run.notes, [note]);
    assert.ok(messages.includes(note));
    for (const s of samples) {
      assert.ok(gen.questions.includes(s.prompt), s.prompt);
      assert.equal(s.datasetRowIndex, rowOf(s.prompt));
    }
    assert.deepEqual(JSON.parse(run.datasetSchema!).schema[0], { name: "schema", num_children: 10 });
  });

  test("by text, JSON dataset: the chat template is learned from the log", async () => {
    const { run, samples } = await ingest("learned", { dataset: { file: file("json") } });
    assert.deepEqual([run.idField, run.datasetFormat, run.unmatchedPrompts, run.unseenDatasetRows, run.datasetSchema], [null, "json", 0, 3, null]);
    assert.match(run.notes[0], /^matched 30 of 30 log prompts to rows of math\.json: 30 through a template learned from the log \(prefix "<\|im_start\|>system.*user", suffix "<\|im_end\|>\\n<\|im_start\|>assistant"\)$/);
    assert.deepEqual(samples.map((s) => s.datasetRowIndex), samples.map((s) => rowOf(s.prompt)));
    assert.deepEqual((await getDatasetRows(run.id, samples[0].prompt)).map((r) => JSON.parse(r.json)), [flatRow(rows[rowOf(samples[0].prompt)])]);
  });

  test("by text, JSON Lines dataset: the user's template", async () => {
    const { run, samples } = await ingest("given", { dataset: { file: file("jsonl") }, promptTemplate: chatTemplate("{prompt}") });
    assert.equal(run.datasetFormat, "jsonl");
    assert.match(run.notes[0], /^matched 30 of 30 log prompts to rows of math\.jsonl: 30 through the given template/);
    assert.ok(samples.every((s) => s.datasetRowIndex === rowOf(s.prompt)));
  });

  test("CSV dataset: rows keep their columns as text; by id the log's 7 is the CSV's \"7\"", async () => {
    const { run, samples } = await ingest("csv-id", { fields: { id: "index" }, dataset: { file: file("csv") } });
    assert.deepEqual([run.datasetFormat, run.unmatchedPrompts, run.unseenDatasetRows], ["csv", 0, 3]);
    assert.match(run.notes[0], /30 by id \(log field "index", dataset field "index"\)$/);
    const stored = await getDatasetRows(run.id, samples[0].prompt);
    const expected = flatRow(rows[rowOf(samples[0].prompt)]);
    assert.equal(stored[0].json, JSON.stringify({ index: String(expected.index), prompt: expected.prompt, answer: expected.answer }));
  });

  test("a run without a dataset: prompts stay as logged; ids still make one sample each", async () => {
    const { run, samples } = await ingest("no-dataset", { fields: { id: "index" } });
    assert.deepEqual([run.idField, run.datasetFormat, run.notes], ["index", null, []]);
    const logged = new Set(gen.questions.map((q) => chatTemplate(q).trim()));
    assert.equal(samples.length, 30);
    assert.ok(samples.every((s) => logged.has(s.prompt) && s.datasetRowIndex === null));
  });

  test("JSON export of a template-matched run writes the selected dataset rows as an array", async () => {
    const scored = await scoreRun("learned");
    const out = path.join(tmp.dir, "selected.json");
    const threshold = 0.3;
    const result = await exportFile(scored, { format: "json", threshold, withScores: false, out });
    const selected = new Set(scored.prompts.filter((_, i) => (scored.scores[i] ?? -Infinity) >= threshold));
    const expected = rows.filter((r) => selected.has(r.prompt[0].content)).map(flatRow);
    assert.ok(expected.length > 0 && expected.length < 30, `${expected.length} selected`);
    assert.equal(result.rows, expected.length);
    assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), expected);
  });
});

describe("bad input leaves no run", () => {
  test("a template without {prompt} or matching nothing, a CSV row too long, a dataset row without the id", async () => {
    const csv = path.join(tmp.dir, "bad.csv");
    writeFileSync(csv, "index,prompt\n1,a\n2,b,c\n");
    const jsonl = path.join(tmp.dir, "no-id.jsonl");
    writeFileSync(jsonl, '{"index": 1, "prompt": "a"}\n{"prompt": "b"}\n');
    const cases: [Partial<IngestOptions>, RegExp][] = [
      [{ promptTemplate: "<|user|>", dataset: { file: file("json") } }, /prompt template \(--prompt-template\) must contain "\{prompt\}" exactly once/],
      // A template that fits none of the logged prompts says so, showing one of them.
      [{ promptTemplate: "User: {prompt} Assistant:", dataset: { file: file("json") } }, /--prompt-template matched none of the \d+ log prompts .*a logged prompt reads "<\|im_start\|>/],
      [{ dataset: { file: csv } }, /bad\.csv: row 1 \(line 3\): malformed CSV/],
      [{ fields: { id: "index" }, dataset: { file: jsonl } }, /no-id\.jsonl: row 1 \(line 2, byte 28\): missing id field "index" \(choose another with --dataset-id-field\)/],
    ];
    for (const [o, message] of cases) {
      await assert.rejects(ingest("bad", o), message);
      assert.equal(await getRun("bad"), null);
    }
  });
});

describe("identity by id", () => {
  test("rollouts with one id are one prompt whatever their text; one text under two ids is two prompts", async () => {
    const dir = path.join(tmp.dir, "ids");
    mkdirSync(dir);
    const line = (input: string, index: number, score: number) => JSON.stringify({ input, output: "o", score, index });
    writeFileSync(path.join(dir, "1.jsonl"), [line("Q", 1, 1), line("Q", 2, 0), line("R", 3, 1)].join("\n") + "\n");
    writeFileSync(path.join(dir, "2.jsonl"), [line(" Q, reworded ", 1, 0), line("Q", 2, 1)].join("\n") + "\n");
    const run = await ingestRun({ path: dir, name: "ids", format: "verl", stepsPerEpoch: 1, fields: { id: "index" } });
    const samples = await loadSamples(run.id);
    const rollouts = rolloutTotals(await loadRunColumns(run.id, samples.length));
    assert.deepEqual(
      samples.map((s) => [s.prompt, rollouts[s.ordinal]]),
      [
        ["Q", 2],
        ["Q", 2],
        ["R", 1],
      ],
    );
    const ds = path.join(tmp.dir, "ids.jsonl");
    writeFileSync(ds, ['{"index": 3, "prompt": "R"}', '{"index": 2, "prompt": "Q"}', '{"index": 1, "prompt": "Q"}'].join("\n"));
    const joined = await ingestRun({ path: dir, name: "ids-joined", format: "verl", stepsPerEpoch: 1, fields: { id: "index" }, dataset: { file: ds } });
    assert.deepEqual((await loadSamples(joined.id)).map((s) => [s.prompt, s.datasetRowIndex]), [["Q", 2], ["Q", 1], ["R", 0]], "each id its own row, though two share a question");
    assert.match(joined.notes[1], /^1 matched prompts share their dataset question with another id; each is scored on its own and exports its own row/);
    const byText = await ingestRun({ path: dir, name: "texts", format: "verl", stepsPerEpoch: 1 });
    const byTextSamples = await loadSamples(byText.id);
    const byTextRollouts = rolloutTotals(await loadRunColumns(byText.id, byTextSamples.length));
    assert.deepEqual(byTextSamples.map((s) => [s.prompt, byTextRollouts[s.ordinal]]), [["Q", 3], ["R", 1], ["Q, reworded", 1]]);
  });
});
