import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { computeLim } from "../lim/lim-score";
import { addReward, decodeStepCounts, encodeStepAggregates } from "../lim/step-aggregates";
import type { StepAggregate } from "../lim/types";
import { scoreRun } from "../runs/score-run";
import { committedMigrations } from "./committed-migrations";
import { migrateDatabase } from "./migrate";
import { useTempDatabase } from "./test-db";
import { StepBlockInserter } from "./step-blocks";
import { getDatasetRows, getExamples, getRun, getSample, loadSamples, streamDatasetRows } from "./index";
import { blocksFromPrompts } from "../lim/run-columns";

/** A run as the version before step blocks stored it: one aggregates blob per prompt, one row per example. */
function writeLegacyRun(file: string, prompts: StepAggregate[][]): void {
  const db = new Database(file);
  try {
    const runId = Number(
      db
        .prepare(
          `INSERT INTO "Run" ("name", "format", "kind", "source", "stepsPerEpoch", "successReward", "promptField", "keepExamples", "sampleCount", "rolloutCount",
             "stepCount", "firstStep", "lastStep", "bytesRead", "datasetRowCount", "unmatchedPrompts", "unseenDatasetRows", "warnings", "createdAt", "updatedAt")
           VALUES ('old', 'openrlhf', 'rollouts', '/old', 2, 1, 'prompt', 2, ?, 0, 6, 1, 6, 0, 0, 0, 0, '[]', '2026-11-25 13:51:37', '2026-11-25 13:51:37')`,
        )
        .run(prompts.length).lastInsertRowid,
    );
    const sample = db.prepare(`INSERT INTO "Sample" ("runId", "ordinal", "prompt", "promptHash", "steps", "rolloutCount") VALUES (?, ?, ?, 'h', ?, 0)`);
    prompts.forEach((steps, o) => sample.run(runId, o, `Problem ${o}`, Buffer.from(encodeStepAggregates(steps))));
    const example = db.prepare(`INSERT INTO "Example" ("runId", "sampleOrdinal", "step", "epoch", "reward", "success", "responseLength", "response") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    example.run(runId, 3, 5, 3, 1, 1, 12, "x = 2 \\boxed{2}");
    example.run(runId, 3, 1, 1, -0.5, 0, 7, "wrong ∫");
    example.run(runId, 4, 1, 1, 1, 1, 3, "other prompt");
  } finally {
    db.close();
  }
}

test("a database written before step blocks is converted on open and scores exactly as before", async () => {
  const tmp = await useTempDatabase();
  try {
    const before = { ...committedMigrations, migrations: committedMigrations.migrations.filter((m) => m.name < "20261201") };
    assert.ok(before.migrations.length < committedMigrations.migrations.length);
    await migrateDatabase(tmp.url, before);
    const prompts = Array.from({ length: 9 }, (_, i) => {
      const steps: StepAggregate[] = [];
      for (let step = 1; step <= 6; step++) {
        if ((i + step) % 4 === 0 || (i % 3 === 0 && step >= 5)) continue; // gaps; a missing last epoch excludes a prompt
        const agg: StepAggregate = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
        for (let r = 0; r < 4; r++) addReward(agg, (i * step + r) % 3 === 0 ? 1 : -0.5, 10);
        steps.push(agg);
      }
      return steps;
    });
    writeLegacyRun(tmp.file, prompts);

    const result = await migrateDatabase(tmp.url);
    assert.equal(result.converted, 1);
    assert.equal((await migrateDatabase(tmp.url)).converted, 0, "converted once");

    const scored = await scoreRun("old");
    const ref = computeLim(prompts.map((p) => decodeStepCounts(encodeStepAggregates(p), 1)), { stepsPerEpoch: 2, maxEpochs: null, successReward: 1 }, 6);
    assert.deepEqual(scored.lim!.scores, ref.scores);
    assert.ok(scored.scores.some((s) => s !== null) && scored.scores.some((s) => s === null));
    assert.deepEqual(scored.rollouts, prompts.map((p) => p.reduce((n, a) => n + a.rollouts, 0)));
    const run = (await getRun("old"))!;
    assert.deepEqual((await getExamples(run.id, 3)).map((e) => [e.step, e.response, e.success]), [
      [1, "wrong ∫", false],
      [5, "x = 2 \\boxed{2}", true],
    ]);
    const db = new Database(tmp.file, { readonly: true });
    assert.equal((db.prepare(`SELECT COUNT(*) FROM "Example"`).pluck().get() as number), 0);
    assert.equal((db.prepare(`SELECT COUNT(*) FROM "Sample" WHERE "steps" IS NOT NULL`).pluck().get() as number), 0);
    db.close();
  } finally {
    await tmp.cleanup();
  }
});

test("a database written before text blocks keeps its prompts and dataset rows, moved into blocks on open", async () => {
  const tmp = await useTempDatabase();
  try {
    const before = { ...committedMigrations, migrations: committedMigrations.migrations.filter((m) => m.name < "20261202") };
    await migrateDatabase(tmp.url, before);
    const prompts = Array.from({ length: 1500 }, (_, i) => `Problem ${i}: what is ${i} + ${i}? \\frac{1}{2} ∫`);
    const rows = [...prompts, "never in the log", prompts[7]].map((prompt, rowIndex) => ({ rowIndex, prompt, json: JSON.stringify({ prompt, answer: String(rowIndex) }) }));
    const db = new Database(tmp.file);
    const runId = Number(
      db
        .prepare(
          `INSERT INTO "Run" ("name", "format", "kind", "source", "stepsPerEpoch", "successReward", "promptField", "keepExamples", "sampleCount", "rolloutCount",
             "stepCount", "firstStep", "lastStep", "bytesRead", "datasetFile", "datasetRowCount", "unmatchedPrompts", "unseenDatasetRows", "warnings")
           VALUES ('texts', 'openrlhf', 'rollouts', '/old', 1, 1, 'prompt', 2, ?, 0, 1, 1, 1, 0, 'd.json', ?, 0, 1, '[]')`,
        )
        .run(prompts.length, rows.length).lastInsertRowid,
    );
    const sample = db.prepare(`INSERT INTO "Sample" ("runId", "ordinal", "prompt", "publishedScore", "datasetRowIndex") VALUES (?, ?, ?, NULL, ?)`);
    prompts.forEach((p, o) => sample.run(runId, o, p, o));
    const row = db.prepare(`INSERT INTO "DatasetRow" ("runId", "rowIndex", "prompt", "promptHash", "json") VALUES (?, ?, ?, 'h', ?)`);
    for (const r of rows) row.run(runId, r.rowIndex, r.prompt, r.json);
    const steps = new StepBlockInserter(db, runId);
    for (const b of blocksFromPrompts(prompts.map(() => [{ step: 1, rollouts: 2, rewardSum: 1, responseLengthSum: 4, rewards: [{ reward: 1, count: 1 }, { reward: 0, count: 1 }] }]))) steps.add(b);
    db.close();

    assert.equal((await migrateDatabase(tmp.url)).converted, 1);
    assert.equal((await migrateDatabase(tmp.url)).converted, 0, "converted once");
    const run = (await getRun("texts"))!;
    assert.deepEqual((await loadSamples(run.id)).map((s) => [s.ordinal, s.prompt, s.datasetRowIndex]), prompts.map((p, o) => [o, p, o]));
    assert.deepEqual(await getSample(run.id, 1499), { ordinal: 1499, prompt: prompts[1499], datasetRowIndex: 1499, publishedScore: null });
    const streamed = [];
    for await (const r of streamDatasetRows(run.id)) streamed.push(r);
    assert.deepEqual(streamed, rows);
    assert.deepEqual(await getDatasetRows(run.id, prompts[7]), [rows[7], rows[1501]]);
    assert.ok((await scoreRun("texts")).scores.every((s) => s === 1), "every prompt at 50% in its one epoch follows the average exactly");
    const after = new Database(tmp.file, { readonly: true });
    assert.equal(after.prepare(`SELECT COUNT(*) FROM "Sample"`).pluck().get(), 0);
    assert.equal(after.prepare(`SELECT COUNT(*) FROM "DatasetRow"`).pluck().get(), 0);
    after.close();
  } finally {
    await tmp.cleanup();
  }
});
