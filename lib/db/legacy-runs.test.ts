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
import { getExamples, getRun } from "./index";

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
