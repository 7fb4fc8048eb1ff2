import assert from "node:assert/strict";
import { existsSync, rmSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData, type SchemaElement } from "hyparquet";
import { writeRun, type DatasetRowRecord, type SampleRecord } from "../db";
import { testRun, useTempDatabase, type TempDatabase } from "../db/test-db";
import { scoreRun } from "../runs/score-run";
import { exportFile, type ExportFileOptions } from "./export-file";
import { exportLines } from "./export-lines";

/**
 * Dataset rows as the ingest stores them: minified original text. They cover what a Parquet
 * schema must get right: "1.0" is a float, 9007199254740993 needs INT64, a key that only later
 * rows have, nested objects, lists of objects (verl's chat `prompt`), a column mixing strings
 * and numbers, nulls, an integer-like key, non-ASCII text and escapes.
 */
const ROWS = [
  `{"id":0,"prompt":"Q0","weight":1.0,"big":9007199254740993,"ok":true,"tags":["a","b"],"meta":{"src":"gsm","level":3},"messages":[{"role":"user","content":"Q0"}],"mixed":"x","note":null,"text":"caf\\u00e9 ✓ \\"q\\""}`,
  `{"id":1,"prompt":"Q1","weight":0.5,"big":-3,"ok":false,"tags":[],"meta":{"src":"math","extra":[1,2]},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"Q1"}],"mixed":7,"note":"n"}`,
  `{"id":2,"prompt":"Q2","weight":2,"big":5,"ok":true,"tags":["c"],"meta":{"src":"x","level":1},"messages":[],"mixed":"y","note":null}`,
  `{"prompt":"Q0","id":3,"weight":1e-3,"big":0,"ok":null,"tags":null,"meta":null,"messages":[{"role":"user","content":"Q0 again"}],"mixed":[1],"note":"repeat","2":"two"}`,
];
/** Published scores per prompt: Q2 falls below the threshold, Q3 has no dataset row. */
const SCORES: [string, number][] = [["Q0", 1], ["Q1", 0.75], ["Q2", 0.1], ["Q3", 0.9]];
const THRESHOLD = 0.6;

async function makeRun(name: string, withDataset: boolean): Promise<void> {
  await writeRun(testRun(name, { kind: "scores", format: "scores", datasetFile: withDataset ? "fixture.jsonl" : null }), async (w) => {
    if (withDataset) {
      const rows: DatasetRowRecord[] = ROWS.map((json, rowIndex) => ({ rowIndex, prompt: JSON.parse(json).prompt, json }));
      await w.addDatasetRows(rows);
    }
    const samples: SampleRecord[] = SCORES.map(([prompt, score], ordinal) => ({
      ordinal,
      prompt,
      steps: new Uint8Array(0),
      rolloutCount: 0,
      publishedScore: score,
      datasetRowIndex: null,
    }));
    await w.addSamples(samples);
    return { sampleCount: samples.length, datasetRowCount: withDataset ? ROWS.length : 0 };
  });
}

async function collect(it: AsyncIterable<string>): Promise<string> {
  let s = "";
  for await (const x of it) s += x;
  return s;
}

async function readParquet(file: string) {
  const buf = await asyncBufferFromFile(file);
  const meta = await parquetMetadataAsync(buf);
  const rows = (await parquetReadObjects({ file: buf })) as Record<string, unknown>[];
  return { meta, rows };
}

/** Top-level column -> its schema element, without hyparquet's undefined-valued keys. */
function columns(meta: FileMetaData): Record<string, Partial<SchemaElement>> {
  return Object.fromEntries(columnNames(meta).map((name, i) => [name, clean(parquetSchema(meta).children[i].element)]));
}
const columnNames = (meta: FileMetaData) => parquetSchema(meta).children.map((c) => c.element.name);
const clean = (e: SchemaElement) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as Partial<SchemaElement>;

/** Parquet cannot tell a missing key from null: compare rows with both dropped. */
function dropNulls(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, dropNulls(x)]));
  }
  return v;
}

describe("curated sets out: JSONL, JSON and Parquet from one selection", () => {
  let db: TempDatabase;
  let dir: string;
  const out = (name: string) => path.join(dir, name);
  const exportTo = async (file: string, o: Partial<ExportFileOptions> & Pick<ExportFileOptions, "format">, run = "mixed") =>
    exportFile(await scoreRun(run), { threshold: THRESHOLD, withScores: false, out: out(file), ...o });

  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-export-"));
    await makeRun("mixed", true);
    await makeRun("bare", false);
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes JSONL byte for byte as exportLines does (the reference the web export compares with)", async () => {
    const r = await exportTo("a.jsonl", { format: "jsonl" });
    const expected = await collect(exportLines(await scoreRun("mixed"), { threshold: THRESHOLD, withScores: false }));
    assert.equal(readFileSync(out("a.jsonl"), "utf8"), expected);
    assert.equal(expected, [ROWS[0], ROWS[1], ROWS[3]].map((r) => r + "\n").join(""));
    assert.equal(r.rows, 3);
  });

  it("writes JSON as an array of the same rows, each row's text kept (1.0, big integers, escapes)", async () => {
    const r = await exportTo("a.json", { format: "json" });
    const text = readFileSync(out("a.json"), "utf8");
    const jsonl = readFileSync(out("a.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(JSON.parse(text), jsonl);
    assert.equal(r.rows, 3);
    assert.match(text, /^\[\n {4}\{\n {8}"id": 0,\n {8}"prompt": "Q0",\n {8}"weight": 1\.0,\n {8}"big": 9007199254740993,/);
    assert.ok(text.includes(String.raw`"text": "caf\u00e9 ✓ \"q\""`));
    assert.ok(text.includes('"tags": [],') && text.endsWith("\n    }\n]"));
  });

  it("writes Parquet whose schema follows the rows: columns in first-seen order, types inferred", async () => {
    await exportTo("a.parquet", { format: "parquet" });
    const { meta } = await readParquet(out("a.parquet"));
    const cols = columns(meta);
    assert.deepEqual(columnNames(meta), ["id", "prompt", "weight", "big", "ok", "tags", "meta", "messages", "mixed", "note", "text", "2"]);
    const opt = { repetition_type: "OPTIONAL" };
    assert.deepEqual(cols.id, { name: "id", type: "INT64", ...opt });
    assert.deepEqual(cols.prompt, { name: "prompt", type: "BYTE_ARRAY", converted_type: "UTF8", ...opt });
    assert.deepEqual(cols.weight, { name: "weight", type: "DOUBLE", ...opt });
    assert.deepEqual(cols.big, { name: "big", type: "INT64", ...opt });
    assert.deepEqual(cols.ok, { name: "ok", type: "BOOLEAN", ...opt });
    assert.deepEqual(cols.tags, { name: "tags", converted_type: "LIST", num_children: 1, ...opt });
    assert.deepEqual(cols.mixed, { name: "mixed", type: "BYTE_ARRAY", converted_type: "JSON", ...opt });
    assert.deepEqual(cols.note, { name: "note", type: "BYTE_ARRAY", converted_type: "UTF8", ...opt });
    // The struct's fields merge across rows in first-seen order: src, level (row 0), extra (row 1).
    const metaAt = meta.schema.findIndex((e) => e.name === "meta");
    assert.deepEqual(meta.schema.slice(metaAt, metaAt + 6).map((e) => [e.name, e.type ?? e.converted_type ?? null]), [
      ["meta", null],
      ["src", "BYTE_ARRAY"],
      ["level", "INT64"],
      ["extra", "LIST"],
      ["list", null],
      ["element", "INT64"],
    ]);
  });

  it("reads back from Parquet the same rows with the same types", async () => {
    const { rows } = await readParquet(out("a.parquet"));
    const jsonl = readFileSync(out("a.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map(dropNulls), jsonl.map(dropNulls));
    // Types a trainer would see: exact 64-bit integers, floats, booleans, nested lists of structs.
    assert.equal(rows[0].big, 9007199254740993n);
    assert.equal(rows[0].id, 0n);
    assert.equal(rows[0].weight, 1);
    assert.equal(typeof rows[0].weight, "number");
    assert.equal(rows[0].ok, true);
    assert.deepEqual(rows[1].messages, [{ role: "system", content: "be brief" }, { role: "user", content: "Q1" }]);
    assert.deepEqual(dropNulls(rows[0].meta), { src: "gsm", level: 3 });
    assert.equal((rows[0].meta as { level: unknown }).level, 3n);
    assert.deepEqual([rows[0].mixed, rows[1].mixed, rows[2].mixed], ["x", 7, [1]]);
    assert.equal(rows[0].text, 'café ✓ "q"');
    assert.equal(rows[2]["2"], "two");
  });

  it("keeps a handed-over Parquet schema exactly (what a Parquet dataset import will pass)", async () => {
    const first = await readParquet(out("a.parquet"));
    const kv = [{ key: "origin", value: "a verl dataset" }];
    await exportTo("b.parquet", { format: "parquet", parquet: { schema: first.meta.schema, keyValueMetadata: kv } });
    const second = await readParquet(out("b.parquet"));
    assert.deepEqual(second.meta.schema.map(clean), first.meta.schema.map(clean));
    assert.deepEqual(second.rows, first.rows);
    assert.deepEqual(second.meta.key_value_metadata, kv);
  });

  it("refuses a row that does not fit a handed-over schema, naming the row and field, and leaves no file", async () => {
    const { meta } = await readParquet(out("a.parquet"));
    const schema = meta.schema.map((e) => (e.name === "mixed" ? { ...e, converted_type: undefined, type: "INT64" as const } : e));
    await assert.rejects(exportTo("bad.parquet", { format: "parquet", parquet: { schema } }), /row 1, field "mixed": expected an integer, found a string/);
    const nested = meta.schema.map((e) => (e.name === "role" ? { ...e, converted_type: undefined, type: "INT64" as const } : e));
    await assert.rejects(exportTo("bad.parquet", { format: "parquet", parquet: { schema: nested } }), /row 1, field "messages\[0\]\.role": expected an integer/);
    const narrow = [{ name: "root", num_children: 1 }, { name: "prompt", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }] as SchemaElement[];
    await assert.rejects(exportTo("bad.parquet", { format: "parquet", parquet: { schema: narrow } }), /row 1: field "id" is not in the Parquet schema/);
    assert.ok(!existsSync(out("bad.parquet")));
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes("partial")), []);
  });

  it("adds lim_score as a DOUBLE column with --with-scores, even where the score prints as 1", async () => {
    await exportTo("s.parquet", { format: "parquet", withScores: true });
    const { meta, rows } = await readParquet(out("s.parquet"));
    assert.deepEqual(columns(meta).lim_score, { name: "lim_score", type: "DOUBLE", repetition_type: "OPTIONAL" });
    assert.deepEqual(rows.map((r) => r.lim_score), [1, 0.75, 1]);
    const json = JSON.parse(readFileSync(out((await exportTo("s.json", { format: "json", withScores: true }), "s.json")), "utf8"));
    assert.deepEqual(json.map((r: { lim_score: number }) => r.lim_score), [1, 0.75, 1]);
  });

  it("exports a run without a dataset as prompt rows in every format", async () => {
    await exportTo("bare.parquet", { format: "parquet" }, "bare");
    const { meta, rows } = await readParquet(out("bare.parquet"));
    assert.deepEqual(columnNames(meta), ["prompt"]);
    assert.deepEqual(rows, [{ prompt: "Q0" }, { prompt: "Q1" }, { prompt: "Q3" }]);
    await exportTo("bare.json", { format: "json" }, "bare");
    assert.deepEqual(JSON.parse(readFileSync(out("bare.json"), "utf8")), rows);
  });

  it("writes valid empty files when nothing is selected", async () => {
    const r = await exportTo("none.parquet", { format: "parquet", threshold: 2 });
    assert.equal(r.rows, 0);
    const { meta, rows } = await readParquet(out("none.parquet"));
    assert.equal(rows.length, 0);
    assert.deepEqual(columnNames(meta), ["prompt"]);
    await exportTo("none.json", { format: "json", threshold: 2 });
    assert.equal(readFileSync(out("none.json"), "utf8"), "[]");
  });
});
