import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import Database from "better-sqlite3";
import { blocksFromPrompts } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";
import { deflateNow, ThreadPoolDeflater } from "./block-deflate";
import { DatasetBlockWriter } from "./dataset-blocks";
import { ExampleBlockWriter } from "./example-blocks";
import { getRun, writeRun } from "./index";
import { SampleBlockWriter } from "./sample-blocks";
import { StepBlockInserter } from "./step-blocks";
import { seededRandom, testRun, useTempDatabase } from "./test-db";
import { testPostgresUrl } from "./test-postgres";
import type { DatasetRowRecord, NewExample, SampleRecord } from "./types";

const onSqlite = !testPostgresUrl();
const TABLES = { StepBlock: `"seq"`, SampleBlock: `"firstOrdinal"`, DatasetBlock: `"firstRow"`, ExampleBlock: `"seq"` } as const;

/** A run big enough for text blocks past 64 KB (the thread pool's), with step and example blocks (deflated in place) between them. */
function runData() {
  const rand = seededRandom(5);
  const n = 3000;
  const samples: SampleRecord[] = Array.from({ length: n }, (_, o) => ({ ordinal: o, prompt: `Problem ${o}: ${"find x such that ".repeat(1 + (o % 7))}x² = ${o}`, datasetRowIndex: o, publishedScore: null }));
  const rows: DatasetRowRecord[] = samples.map((s) => ({ rowIndex: s.ordinal, prompt: s.prompt, json: JSON.stringify({ prompt: s.prompt, answer: String(s.ordinal), id: `row-${s.ordinal}` }) }));
  const steps: StepAggregate[][] = samples.map(() =>
    [1, 2, 3].map((step) => {
      const wins = Math.floor(rand() * 9);
      return { step, rollouts: 8, rewardSum: wins, responseLengthSum: 100 * step + wins, rewards: [{ reward: 0, count: 8 - wins }, { reward: 1, count: wins }] };
    }),
  );
  const examples: NewExample[] = samples.flatMap((s) => [1, 2, 3].map((step) => ({ sampleOrdinal: s.ordinal, step, epoch: 1, reward: step % 2, success: step % 2 === 1, responseLength: 40 * step, response: `step ${step}: ${"so x = ".repeat(s.ordinal % 300)}${s.ordinal}` })));
  return { samples, rows, blocks: blocksFromPrompts(steps), examples };
}

/** A run's block rows, table by table, in the order inserted, without their run id. */
function storedBlocks(file: string, runId: number): Record<string, unknown[][]> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, unknown[][]> = {};
    for (const table of Object.keys(TABLES)) {
      out[table] = (db.prepare(`SELECT * FROM "${table}" WHERE "runId" = ? ORDER BY rowid`).all(runId) as Record<string, unknown>[]).map(({ runId: _, id: __, ...rest }) => Object.values(rest));
    }
    return out;
  } finally {
    db.close();
  }
}

test("blocks deflated on the thread pool are those deflated in place, inserted in the same order", { skip: !onSqlite && "SQLite files only" }, async () => {
  const tmp = await useTempDatabase();
  try {
    const data = runData();
    // Through the thread pool, as ingest writes: pieces of each kind interleaved.
    const pooled = await writeRun(testRun("pooled"), async (w) => {
      await w.addSamples(data.samples.slice(0, 1700));
      await w.addStepBlocks(data.blocks.slice(0, 1));
      await w.addExamples(data.examples.slice(0, 4000));
      await w.flushExamples();
      await w.addDatasetRows(data.rows.slice(0, 2500));
      await w.addSamples(data.samples.slice(1700));
      await w.addStepBlocks(data.blocks.slice(1));
      await w.addExamples(data.examples.slice(4000));
      await w.addDatasetRows(data.rows.slice(2500));
    });
    // The same calls on this thread, each block deflated and inserted at once.
    const db = new Database(tmp.file);
    db.exec("BEGIN IMMEDIATE");
    db.prepare(`INSERT INTO "Run" ("name", "format", "kind", "source", "stepsPerEpoch", "successReward", "promptField", "keepExamples", "sampleCount", "rolloutCount", "stepCount", "firstStep", "lastStep", "bytesRead", "datasetRowCount", "unmatchedPrompts", "unseenDatasetRows", "warnings")
      VALUES ('inplace', 'openrlhf', 'rollouts', '/r', 8, 1, 'prompt', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, '[]')`).run();
    const runId = Number(db.prepare(`SELECT "id" FROM "Run" WHERE "name" = 'inplace'`).pluck().get());
    const [samples, rows, steps, examples] = [new SampleBlockWriter(db, runId, deflateNow), new DatasetBlockWriter(db, runId), new StepBlockInserter(db, runId), new ExampleBlockWriter(db, runId)];
    data.samples.slice(0, 1700).forEach((s) => samples.add(s));
    steps.add(data.blocks[0]);
    data.examples.slice(0, 4000).forEach((e) => examples.add(e));
    examples.flush();
    data.rows.slice(0, 2500).forEach((r) => rows.add(r));
    data.samples.slice(1700).forEach((s) => samples.add(s));
    data.blocks.slice(1).forEach((b) => steps.add(b));
    data.examples.slice(4000).forEach((e) => examples.add(e));
    data.rows.slice(2500).forEach((r) => rows.add(r));
    examples.flush();
    samples.flush();
    rows.flush();
    db.exec("COMMIT");
    db.close();

    const a = storedBlocks(tmp.file, pooled.id);
    const b = storedBlocks(tmp.file, runId);
    for (const table of Object.keys(TABLES)) assert.ok(a[table].length > 0, `${table} has rows`);
    assert.ok(a.SampleBlock.length >= 2 && a.DatasetBlock.length >= 2, "several text blocks");
    assert.deepEqual(a, b);
  } finally {
    await tmp.cleanup();
  }
});

test("a write that fails with blocks still deflating leaves nothing behind, and the next write lands whole", { skip: !onSqlite && "SQLite files only" }, async () => {
  const tmp = await useTempDatabase();
  try {
    const data = runData();
    await assert.rejects(
      writeRun(testRun("failed"), async (w) => {
        await w.addDatasetRows(data.rows);
        await w.addSamples(data.samples);
        await w.addStepBlocks(data.blocks);
        throw new Error("the log ended mid-step");
      }),
      /the log ended mid-step/,
    );
    assert.equal(await getRun("failed"), null);
    const db = new Database(tmp.file, { readonly: true });
    for (const table of Object.keys(TABLES)) assert.equal(db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get(), 0, `${table} is empty`);
    db.close();
    const run = await writeRun(testRun("failed"), async (w) => {
      await w.addSamples(data.samples);
      await w.addStepBlocks(data.blocks);
    });
    const stored = storedBlocks(tmp.file, run.id);
    assert.equal(stored.SampleBlock.reduce((n, r) => n + (r[1] as number), 0), data.samples.length);
    assert.equal(stored.StepBlock.length, data.blocks.length);
  } finally {
    await tmp.cleanup();
  }
});

test("the thread pool's blocks come back in the order handed in, byte for byte deflateSync's", async () => {
  const deflater = new ThreadPoolDeflater();
  const rand = seededRandom(9);
  // Large blocks (the pool's) and small ones (deflated in place) mixed, past the waiting bound.
  const parts = Array.from({ length: 40 }, (_, i) => Buffer.from(Array.from({ length: i % 3 ? 200_000 : 300 }, () => "abcdefgh"[Math.floor(rand() * 8)]).join("")));
  const inserted: [number, Buffer][] = [];
  for (let i = 0; i < parts.length; i++) {
    deflater.deflate([parts[i], parts[i].subarray(0, 100)], ([a, b]) => inserted.push([i, Buffer.concat([a, b])]));
    if (deflater.full) await deflater.settle();
  }
  await deflater.settle(true);
  assert.deepEqual(
    inserted.map(([i]) => i),
    parts.map((_, i) => i),
  );
  for (const [i, bytes] of inserted) assert.ok(bytes.equals(Buffer.concat([deflateSync(parts[i], { level: 1 }), deflateSync(parts[i].subarray(0, 100), { level: 1 })])), `block ${i}`);
});
