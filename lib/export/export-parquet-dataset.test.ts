import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from "hyparquet";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { datasetRows, writeParquetDataset } from "../demo/generate-datasets";
import { generateVerl } from "../demo/generate-verl";
import { ingestRun } from "../ingest/ingest-run";
import { tempDir } from "../ingest/test-helpers";
import { isSelected } from "../lim/select";
import { scoreRun } from "../runs/score-run";

/**
 * The promise of a Parquet export: a verl dataset, curated, is read back by verl as it was.
 * A generated verl-style dataset (with columns of every awkward kind: INT64 beyond 2^53, NaN,
 * -0, nulls, raw bytes, empty and null lists) is joined to a generated verl log, exported
 * with `lim export --format parquet`, and read back with hyparquet.
 */
let db: TempDatabase;
const tmp = tempDir("lim-parquet-roundtrip-");
const datasetFile = path.join(tmp.dir, "train.parquet");
const THRESHOLD = 0.3;
let selectedQuestions: Set<string>;

async function readParquet(file: string): Promise<{ metadata: FileMetaData; rows: Record<string, unknown>[] }> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  // utf8: false keeps binary columns as bytes, so they compare byte for byte.
  return { metadata, rows: await parquetReadObjects({ file: buffer, utf8: false }) };
}

/** Schema elements without hyparquet's undefined-valued keys. */
const clean = (m: FileMetaData) => JSON.parse(JSON.stringify(m.schema));

before(async () => {
  db = await useTempDatabase();
  const gen = generateVerl({ dir: path.join(tmp.dir, "rollouts"), prompts: 40, epochs: 4, stepsPerEpoch: 4, rolloutsPerPrompt: 4, index: true, seed: 21 });
  writeParquetDataset(datasetFile, datasetRows({ questions: gen.questions, answers: gen.answers, untrained: 4, extras: true, seed: 3 }), true);
  await ingestRun({ path: gen.dir, name: "verl-parquet", format: "verl", stepsPerEpoch: 4, keepExamples: 0, fields: { id: "index" }, dataset: { file: datasetFile } });
  const scored = await scoreRun("verl-parquet");
  selectedQuestions = new Set(scored.prompts.filter((_, i) => isSelected(scored.scores[i], THRESHOLD)));
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

describe("Parquet export of a Parquet dataset", () => {
  it("writes the selected rows with the dataset's own schema, types and values", async () => {
    const out = path.join(tmp.dir, "curated.parquet");
    const r = await runCli(["export", "verl-parquet", "--threshold", String(THRESHOLD), "--format", "parquet", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    const original = await readParquet(datasetFile);
    const exported = await readParquet(out);
    assert.deepEqual(clean(exported.metadata), clean(original.metadata), "same columns, nesting, types and annotations");
    assert.deepEqual(exported.metadata.key_value_metadata, original.metadata.key_value_metadata);
    const expected = original.rows.filter((row) => selectedQuestions.has((row.prompt as { content: string }[])[0].content.trim()));
    assert.ok(expected.length > 3 && expected.length < 40, `${expected.length} rows selected`);
    // deepEqual compares BigInt, NaN, -0, Uint8Array and nulls exactly; the awkward values are among the rows.
    assert.deepEqual(exported.rows, expected);
    const values = (k: string) => expected.map((row) => row[k]);
    assert.ok(values("difficulty").some((v) => Number.isNaN(v)) && values("difficulty").some((v) => Object.is(v, -0)) && values("difficulty").includes(null));
    assert.ok(values("image").some((v) => v instanceof Uint8Array && v.includes(255)) && values("image").includes(null));
    assert.ok(values("tags").some((v) => Array.isArray(v) && v.length === 0) && values("uid").every((v) => typeof v === "bigint" && v > 2n ** 53n));
  });

  it("--with-scores adds a DOUBLE lim_score column after the dataset's own", async () => {
    const out = path.join(tmp.dir, "scored.parquet");
    const r = await runCli(["export", "verl-parquet", "--threshold", String(THRESHOLD), "--format", "parquet", "--with-scores", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    const original = await readParquet(datasetFile);
    const exported = await readParquet(out);
    const schema = clean(exported.metadata);
    assert.deepEqual(schema.slice(1, -1), clean(original.metadata).slice(1));
    assert.deepEqual(schema.at(-1), { name: "lim_score", type: "DOUBLE", repetition_type: "OPTIONAL" });
    assert.ok(exported.rows.every((row) => typeof row.lim_score === "number" && row.lim_score >= THRESHOLD));
    assert.deepEqual(
      exported.rows.map(({ lim_score: _, ...rest }) => rest),
      original.rows.filter((row) => selectedQuestions.has((row.prompt as { content: string }[])[0].content.trim())),
    );
  });
});
