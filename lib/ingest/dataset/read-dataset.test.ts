import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import type { DatasetRowRecord } from "../../db/types";
import { IngestError } from "../errors";
import { readDatasetRows } from "./read-dataset";
import { JsonRowSplitter, type RawRow } from "../scan/split-json-rows";
import { tempDir } from "../test-helpers";

const tmp = tempDir("lim-dataset-");
after(tmp.cleanup);
let n = 0;

function file(text: string, ext = "json"): string {
  const f = path.join(tmp.dir, `d${n++}.${ext}`);
  writeFileSync(f, text);
  return f;
}

async function rows(f: string, promptField?: string): Promise<DatasetRowRecord[]> {
  const out: DatasetRowRecord[] = [];
  for await (const b of readDatasetRows({ file: f, promptField, batchSize: 2 })) out.push(...b);
  return out;
}

async function failure(f: string, promptField?: string): Promise<IngestError> {
  try {
    await rows(f, promptField);
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected an IngestError, got ${e}`);
    return e;
  }
  assert.fail("expected an error");
}

const ARRAY = `[
    {
        "id": "a1",
        "prompt": "  Compute $\\\\frac{1}{2}$ \\u00e9t\\u00e9\\n",
        "answer": 1.0,
        "big": 1e5,
        "nested": {"k": [1, 2, "a b"]}
    },
    {"prompt": "Same text", "id": "a2"},
    {"id": "a3", "prompt": "Same text"}
]
`;

describe("reading a dataset", () => {
  test("JSON array: every row, original text minified (key order, numbers, escapes unchanged), prompt trimmed", async () => {
    const got = await rows(file(ARRAY));
    assert.deepEqual(
      got.map((r) => r.rowIndex),
      [0, 1, 2],
    );
    assert.equal(got[0].prompt, "Compute $\\frac{1}{2}$ été");
    assert.equal(got[0].json, '{"id":"a1","prompt":"  Compute $\\\\frac{1}{2}$ \\u00e9t\\u00e9\\n","answer":1.0,"big":1e5,"nested":{"k":[1,2,"a b"]}}');
    assert.deepEqual(JSON.parse(got[0].json), JSON.parse(ARRAY)[0]);
    assert.equal(got[1].json, '{"prompt":"Same text","id":"a2"}');
    assert.deepEqual(
      got.filter((r) => r.prompt === "Same text").map((r) => r.rowIndex),
      [1, 2],
      "a repeated prompt keeps every row",
    );
  });

  test("JSON Lines: one row per non-blank line", async () => {
    const got = await rows(file('{"prompt": "a", "x": 1}\n\n  {"prompt":"b"}\r\n{"q": "c", "prompt": " c "}', "jsonl"), "prompt");
    assert.deepEqual(
      got.map((r) => [r.rowIndex, r.prompt, r.json]),
      [
        [0, "a", '{"prompt":"a","x":1}'],
        [1, "b", '{"prompt":"b"}'],
        [2, "c", '{"q":"c","prompt":" c "}'],
      ],
    );
  });

  test("another prompt field", async () => {
    const got = await rows(file('[{"question": "q1", "prompt": 3}]'), "question");
    assert.equal(got[0].prompt, "q1");
  });

  test("rows split across any chunk boundary come out the same", () => {
    const whole: RawRow[] = [];
    const split = new JsonRowSplitter("x", (r) => whole.push(r));
    split.push(Buffer.from(ARRAY));
    split.end();
    const bytes: RawRow[] = [];
    const s2 = new JsonRowSplitter("x", (r) => bytes.push(r));
    const buf = Buffer.from(ARRAY);
    for (let i = 0; i < buf.length; i++) s2.push(buf.subarray(i, i + 1));
    s2.end();
    assert.deepEqual(bytes, whole);
    assert.deepEqual(
      whole.map((r) => r.line),
      [2, 9, 10],
    );
  });
});

describe("bad datasets", () => {
  test("a row without the prompt field names the file, row, line and field", async () => {
    const f = file('[\n  {"prompt": "a"},\n  {"question": "b"}\n]');
    const e = await failure(f);
    assert.equal(e.message, `${f}: row 1 (line 3, byte 23): missing field "prompt" (choose another with --prompt-field)`);
    assert.equal(e.field, "prompt");
  });
  test("a non-string prompt", async () => {
    const e = await failure(file('{"prompt": "a"}\n{"prompt": ["b"]}\n', "jsonl"));
    assert.match(e.message, /row 1 \(line 2, byte 16\): field "prompt" is an array, expected a string/);
  });
  test("a row that is not an object", async () => {
    assert.match((await failure(file('{"prompt": "a"}\n[1]\n', "jsonl"))).message, /row 1 \(line 2, byte 16\): expected an object, found an array/);
    assert.match((await failure(file('[{"prompt": "a"}, 3]'))).message, /line 1 \(byte 18\): expected an object, found "3"/);
  });
  test("malformed JSON inside a row", async () => {
    assert.match((await failure(file('[{"prompt": "a",}]'))).message, /row 0 \(line 1, byte 1\): malformed JSON: /);
  });
  test("a missing comma, a trailing comma, an unclosed array", async () => {
    assert.match((await failure(file('[{"prompt": "a"} {"prompt": "b"}]'))).message, /line 1 \(byte 17\): malformed JSON after a row: expected ',' or '\]'/);
    assert.match((await failure(file('[{"prompt": "a"},]'))).message, /expected an object, found "\]"/);
    assert.match((await failure(file('[{"prompt": "a"}'))).message, /the array is not closed/);
  });
  test("an empty or missing file", async () => {
    assert.match((await failure(file("  \n"))).message, /empty dataset file/);
    assert.match((await failure(path.join(tmp.dir, "nope.json"))).message, /nope\.json: dataset file not found/);
  });
});
