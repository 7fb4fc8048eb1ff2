import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { parquetWriteBuffer } from "hyparquet-writer";
import { readDatasetRows } from "../dataset/read-dataset";
import { promptsOf, type PackedStepBatch } from "../scan/pack-step-batch";
import { tempDir } from "../test-helpers";
import type { LogFields } from "./log-fields";
import { readAll } from "./reader-checks";

/**
 * The text rules of formats/input-text.ts, reader by reader: every log and dataset reader
 * skips a UTF-8 byte order mark, refuses UTF-16, invalid UTF-8 and raw control characters in
 * JSON strings with the same words, and refuses a number written as text outside CSV.
 */

const tmp = tempDir("lim-text-rules-");
after(() => tmp.cleanup());

/** One rollout per prompt: a log's content as a function of how each row is spelled. */
interface Row {
  prompt: string;
  response: string;
  reward: unknown;
}
const ROWS: Row[] = [
  { prompt: "What is 1+1?", response: "2", reward: 1 },
  { prompt: "Résumé: 2+2?", response: "4 ∎", reward: 0 },
];

/** Each text format's log for rows (the file's bytes, before any BOM or encoding). */
const FORMATS: Record<string, { file: string; text: (rows: Row[]) => string; fields?: LogFields; promptField: string }> = {
  openrlhf: { file: "step_1.json", text: (rows) => JSON.stringify(rows.map((r) => ({ ...r, response_length: 3 })), null, 4), promptField: "prompt" },
  "openrlhf --id-field": {
    file: "step_1.json",
    text: (rows) => JSON.stringify(rows.map((r, i) => ({ id: `q${i}`, ...r, response_length: 3 })), null, 4),
    fields: { id: "id" },
    promptField: "prompt",
  },
  verl: { file: "1.jsonl", text: (rows) => rows.map((r) => JSON.stringify({ input: r.prompt, output: r.response, score: r.reward, step: 1 })).join("\n") + "\n", promptField: "input" },
  "nemo-rl": {
    file: "train_data_step1.jsonl",
    text: (rows) => rows.map((r, idx) => JSON.stringify({ content: [[r.prompt, r.response]], rewards: [r.reward], idx })).join("\n") + "\n",
    promptField: "content.0",
  },
  jsonl: { file: "log.jsonl", text: (rows) => rows.map((r) => JSON.stringify({ ...r, step: 1 })).join("\n") + "\n", promptField: "prompt" },
  csv: { file: "log.csv", text: (rows) => "prompt,response,reward,step\n" + rows.map((r) => `${r.prompt},${r.response},${String(r.reward)},1`).join("\n") + "\n", promptField: "prompt" },
};

let n = 0;
function write(name: string, bytes: Uint8Array | string): string {
  const dir = path.join(tmp.dir, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), bytes);
  return dir;
}

const readerFormat = (format: string) => format.split(" ")[0];

function summary(batches: PackedStepBatch[]): unknown {
  return batches.map((b) => ({ step: b.step, prompts: promptsOf(b), rollouts: [...b.promptRollouts], rewards: [...b.agg.rewardSum] }));
}

const bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
/** The text with "é" of "Résumé" broken into C3 28: invalid UTF-8 in the second prompt. */
const brokenUtf8 = (text: string) => {
  const b = Buffer.from(text.replace("Résumé", "R\u00e9sum"));
  const at = b.indexOf(Buffer.from("R\u00e9sum"));
  b[at + 2] = 0x28;
  return b;
};

describe("every log reader applies the same text rules", () => {
  for (const [format, f] of Object.entries(FORMATS)) {
    const read = (dir: string) => readAll(readerFormat(format), path.join(dir, format === "jsonl" || format === "csv" ? f.file : ""), { fields: f.fields });

    test(`${format}: a UTF-8 byte order mark is skipped; the log reads as without it`, async () => {
      const plain = await read(write(f.file, f.text(ROWS)));
      assert.deepEqual(summary(await read(write(f.file, bom(f.text(ROWS))))), summary(plain));
      assert.ok(promptsOf(plain[0]).includes(f.fields?.id ? "q1" : "Résumé: 2+2?"));
    });

    test(`${format}: UTF-16 is refused with "save it as UTF-8"`, async () => {
      await assert.rejects(read(write(f.file, utf16(f.text(ROWS)))), new RegExp(`${f.file}: the file is UTF-16; save it as UTF-8`));
    });

    test(`${format}: invalid UTF-8 is refused by its place and field, not read as U+FFFD`, async () => {
      const field = format === "csv" ? "" : format === "nemo-rl" ? `field "content.0.0"` : `field "${f.promptField}"`;
      const where = format.startsWith("openrlhf") ? "element 1" : format === "csv" ? ":3: byte \\d+" : ":2";
      await assert.rejects(read(write(f.file, brokenUtf8(f.text(ROWS)))), new RegExp(`${f.file}.*${where}.*${field}.*not valid UTF-8 \\(bytes C3 28`));
    });

    if (format !== "csv") {
      test(`${format}: a raw tab in a JSON string is refused, naming the field`, async () => {
        const text = f.text([ROWS[0], { ...ROWS[1], prompt: "TAB" }]).replace("TAB", "a\tb");
        const field = format === "nemo-rl" ? "content.0.0" : f.promptField;
        await assert.rejects(read(write(f.file, text)), new RegExp(`${f.file}.*${format.startsWith("openrlhf") ? "element 1" : ":2"}.*field "${field}":? holds a raw control character U\\+0009 \\(tab\\)`));
      });
    }

    test(`${format}: a reward written as text ("1.0") is ${format === "csv" ? "a number: every CSV cell is text" : "refused, naming field and value"}`, async () => {
      const dir = write(f.file, f.text([ROWS[0], { ...ROWS[1], reward: "1.0" }]));
      if (format === "csv") {
        const [b] = await read(dir);
        assert.deepEqual([...b.agg.rewardSum], [1, 1]);
        return;
      }
      const field = { verl: "score", "nemo-rl": "rewards" }[format] ?? "reward";
      await assert.rejects(read(dir), new RegExp(`field "${field}".*(a string \\("1\\.0"\\)|expected a JSON number, found a string); it is a number written as text`));
    });
  }

  test("trl: invalid UTF-8 in a Parquet string is refused by row and column; a text reward column too", async () => {
    const parquet = (prompts: string[], reward: { data: unknown[]; type: string }) =>
      Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: "step", data: [1n, 1n], type: "INT64" },
            { name: "prompt", data: prompts, type: "STRING" },
            { name: "completion", data: ["a", "b"], type: "STRING" },
            { name: "judge", ...reward },
          ] as Parameters<typeof parquetWriteBuffer>[0]["columnData"],
        }),
      );
    const good = parquet(["Q", "Résumé"], { data: [1, 0], type: "DOUBLE" });
    const [b] = await readAll("trl", write("completions_00001.parquet", good));
    assert.deepEqual(promptsOf(b), ["Q", "Résumé"]);
    const broken = Buffer.from(good);
    for (let i = broken.indexOf(Buffer.from("Résumé")); i >= 0; i = broken.indexOf(Buffer.from("Résumé"), i + 1)) broken[i + 2] = 0x28;
    await assert.rejects(readAll("trl", write("completions_00001.parquet", broken)), /completions_00001\.parquet: row 2: field "prompt" is not valid UTF-8/);
    const text = parquet(["Q", "R"], { data: ["1.0", "0"], type: "STRING" });
    await assert.rejects(readAll("trl", write("completions_00001.parquet", text), { fields: { reward: "judge" } }), /row 1: field "judge" must be a finite number, got a string \("1\.0"\); it is a number written as text/);
  });

  test("a success flag written as text is refused outside CSV, read in CSV", async () => {
    const jsonl = write("log.jsonl", `${JSON.stringify({ prompt: "Q", reward: 1, step: 1, ok: "true" })}\n`);
    await assert.rejects(readAll("jsonl", path.join(jsonl, "log.jsonl"), { fields: { success: "ok" } }), /log\.jsonl:1: field "ok" must be true\/false \(or 1\/0\), got a string \("true"\) \(--success-field\); it is written as text/);
    const csv = write("log.csv", "prompt,reward,step,ok\nQ,1,1,true\n");
    const [b] = await readAll("csv", path.join(csv, "log.csv"), { fields: { success: "ok" }, keepExamples: 1 });
    assert.deepEqual([...b.candidates.success], [1]);
  });
});

describe("every dataset reader applies the same text rules", () => {
  const rows = [
    { id: 1, prompt: "What is 1+1?" },
    { id: 2, prompt: "Résumé: 2+2?" },
  ];
  const texts: Record<string, string> = {
    "d.json": JSON.stringify(rows, null, 2),
    "d.jsonl": rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
    "d.csv": "id,prompt\n" + rows.map((r) => `${r.id},${r.prompt}`).join("\n") + "\n",
  };
  const read = async (file: string) => {
    const out: string[] = [];
    for await (const batch of readDatasetRows({ file })) for (const r of batch) out.push(r.prompt);
    return out;
  };
  for (const [name, text] of Object.entries(texts)) {
    test(`${name}: a byte order mark is skipped; UTF-16 and invalid UTF-8 are refused`, async () => {
      assert.deepEqual(await read(path.join(write(name, bom(text)), name)), ["What is 1+1?", "Résumé: 2+2?"]);
      await assert.rejects(read(path.join(write(name, utf16(text)), name)), /is UTF-16; save it as UTF-8/);
      const where = name === "d.csv" ? /d\.csv:3: byte \d+ is not valid UTF-8/ : /row 1 .*field "prompt" is not valid UTF-8/;
      await assert.rejects(read(path.join(write(name, brokenUtf8(text)), name)), where);
    });
  }
  test("d.jsonl: a raw tab in a row's string is refused, naming the row and field", async () => {
    const text = texts["d.jsonl"].replace("What is", "What\tis");
    await assert.rejects(read(path.join(write("d.jsonl", text), "d.jsonl")), /d\.jsonl: row 0 .*field "prompt" holds a raw control character U\+0009 \(tab\)/);
  });
});
