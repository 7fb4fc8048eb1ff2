import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { datasetRows, writeParquetDataset, type VerlDatasetRow } from "../../demo/generate-datasets";
import { IngestError } from "../errors";
import { readDatasetRows, type DatasetInfo, type DatasetRow, type ReadDatasetOptions } from "./read-dataset";
import { tempDir } from "../test-helpers";

const tmp = tempDir("lim-dataset-formats-");
after(tmp.cleanup);
let n = 0;

function file(content: string | ((f: string) => void), ext: string): string {
  const f = path.join(tmp.dir, `d${n++}.${ext}`);
  if (typeof content === "string") writeFileSync(f, content);
  else content(f);
  return f;
}

async function read(f: string, o: Partial<ReadDatasetOptions> = {}): Promise<{ rows: DatasetRow[]; info: DatasetInfo }> {
  const info: DatasetInfo = {};
  const rows: DatasetRow[] = [];
  for await (const b of readDatasetRows({ file: f, batchSize: 3, info, ...o })) rows.push(...b);
  return { rows, info };
}

async function failure(f: string, o: Partial<ReadDatasetOptions> = {}): Promise<IngestError> {
  try {
    await read(f, o);
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected an IngestError, got ${e}`);
    return e;
  }
  assert.fail("expected an error");
}

const QUESTIONS = ["What is 1+1?", "Solve $x^2 = 4$, giving both roots.", "Name a prime.", "How many sides has a hexagon?"];
const verl = (extras = false): VerlDatasetRow[] => datasetRows({ questions: QUESTIONS, answers: ["2", "\\pm 2", "2", "6"], untrained: 1, extras });

describe("CSV datasets", () => {
  test("each row is an object of its columns in header order, all text; quotes, commas, new lines and a byte order mark", async () => {
    const f = file('\ufeff"2",prompt,"1"\r\n7,"A ""quoted"", multi\nline question",x\r\n\r\n8, Second ,\r\n', "csv");
    const { rows, info } = await read(f, { idFields: ["2"] });
    assert.deepEqual(info, { format: "csv", idField: "2" });
    assert.deepEqual(
      rows.map((r) => [r.rowIndex, r.prompt, r.id, r.json]),
      [
        [0, 'A "quoted", multi\nline question', "7", '{"2":"7","prompt":"A \\"quoted\\", multi\\nline question","1":"x"}'],
        [1, "Second", "8", '{"2":"8","prompt":" Second ","1":""}'],
      ],
    );
  });
  test("bad CSV names the file, the row or line, and the field", async () => {
    const noPrompt = file("question,answer\nq,1\n", "csv");
    assert.equal((await failure(noPrompt)).message, `${noPrompt}: line 1: no column "prompt" in the header (columns: question, answer); choose another with --prompt-field`);
    assert.match((await failure(file("prompt,answer\na,1\nb,2,3\n", "csv"))).message, /d\d+\.csv: row 1 \(line 3\): malformed CSV: .*Invalid Record Length/);
    assert.match((await failure(file('prompt\n"open\n', "csv"))).message, /row 0 .*malformed CSV: .*quote/i);
    assert.match((await failure(file("prompt,prompt\na,b\n", "csv"))).message, /line 1: column "prompt" appears twice in the header/);
    assert.match((await failure(file("", "csv"))).message, /empty dataset file \(expected a CSV header row\)/);
    const e = await failure(file("prompt,answer\na,1\n", "csv"), { idFields: ["index"] });
    assert.match(e.message, /d\d+\.csv: row 0 \(line 2\): missing id field "index" \(choose another with --dataset-id-field\)/);
    assert.equal(e.field, "index");
  });
});

describe("Parquet datasets (verl's layout)", () => {
  test("the prompt is the user message of the chat; rows are kept losslessly; the schema is kept; ids from extra_info.index", async () => {
    const rows = verl(true);
    const f = file((p) => writeParquetDataset(p, rows, true), "parquet");
    const { rows: got, info } = await read(f, { idFields: ["index", "extra_info.index"] });
    assert.equal(info.format, "parquet");
    assert.equal(info.idField, "extra_info.index");
    assert.deepEqual(
      got.map((r) => [r.prompt, r.id]),
      rows.map((r) => [r.prompt[0].content.trim(), String(r.extra_info.index)]),
    );
    const first = JSON.parse(got[0].json);
    assert.equal(first.prompt[0].role, "user");
    assert.match(got[0].json, new RegExp(`"uid":${rows[0].uid}[,}]`), "INT64 beyond 2^53 as its exact digits");
    assert.match(got[1].json, /"difficulty":"NaN"/);
    assert.match(got[2].json, /"difficulty":-0,/);
    assert.equal(first.image, Buffer.from(rows[0].image!).toString("base64"), "binary as base64");
    const stored = JSON.parse(info.schema!);
    assert.deepEqual(stored.keyValueMetadata, [{ key: "lim.demo", value: "verl-style dataset" }]);
    assert.equal(stored.schema.length, 23);
  });
  test("bad Parquet names the file, the row and the field", async () => {
    const notParquet = file("prompt\nhello\n", "parquet");
    assert.match((await failure(notParquet)).message, /d\d+\.parquet: not a readable Parquet file/);
    const f = file((p) => writeParquetDataset(p, verl()), "parquet");
    assert.equal((await failure(f, { promptField: "question", promptFlag: "--dataset-prompt-field" })).message, `${f}: no column "question" (columns: data_source, prompt, ability, reward_model, extra_info); choose another with --dataset-prompt-field`);
    const noUser = verl();
    noUser[2].prompt = [{ role: "system", content: "Be brief." }];
    const g = file((p) => writeParquetDataset(p, noUser), "parquet");
    const e = await failure(g);
    assert.equal(e.message, `${g}: row 2: field "prompt" is an array, expected a string or a list of chat messages with a user message`);
    assert.deepEqual([e.element, e.field], [2, "prompt"]);
    assert.match((await failure(f, { idFields: ["extra_info.uid"] })).message, /row 0: missing id field "extra_info\.uid"/);
  });
});

describe("JSON datasets", () => {
  test("the format is what the file holds, whatever its name; a chat-message prompt works there too", async () => {
    const lines = file('{"prompt": [{"role": "system", "content": "s"}, {"role": "user", "content": " q "}]}\n', "json");
    assert.deepEqual(await read(lines), { rows: [{ rowIndex: 0, prompt: "q", json: '{"prompt":[{"role":"system","content":"s"},{"role":"user","content":" q "}]}' }], info: { format: "jsonl", idField: null } });
    assert.equal((await read(file('  [{"prompt": "a"}]', "txt"))).info.format, "json");
  });
  test("an id that is not a string or a number", async () => {
    const e = await failure(file('{"prompt": "a", "index": {"x": 1}}\n', "jsonl"), { idFields: ["index"] });
    assert.match(e.message, /row 0 \(line 1, byte 0\): id field "index" is an object, expected a string or a number/);
  });
});
