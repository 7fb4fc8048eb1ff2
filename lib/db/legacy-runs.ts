import type { Database } from "better-sqlite3";
import { blocksFromPrompts } from "../lim/run-columns";
import { decodeStepAggregates } from "../lim/step-aggregates";
import type { StepAggregate } from "../lim/types";
import { ExampleBlockWriter } from "./example-blocks";
import { StepBlockInserter } from "./step-blocks";

/**
 * Runs written before step blocks kept each prompt's aggregates in Sample.steps and each
 * example in its own Example row. They are converted once, run by run, each in its own
 * transaction (a kill leaves every run either converted or as it was, and the next open
 * resumes): the same numbers as step blocks and example blocks, so they score and show
 * exactly as before.
 */
export function convertLegacyRuns(db: Database): number {
  const pending = db
    .prepare(
      `SELECT "id" FROM "Run" r WHERE NOT EXISTS (SELECT 1 FROM "StepBlock" b WHERE b."runId" = r."id")
         AND EXISTS (SELECT 1 FROM "Sample" s WHERE s."runId" = r."id" AND s."steps" IS NOT NULL)`,
    )
    .pluck()
    .all() as number[];
  for (const runId of pending) db.transaction(() => convertRun(db, runId)).immediate();
  return pending.length;
}

function convertRun(db: Database, runId: number): void {
  const perPrompt: StepAggregate[][] = [];
  for (const [ordinal, steps] of db.prepare(`SELECT "ordinal", "steps" FROM "Sample" WHERE "runId" = ? ORDER BY "ordinal"`).raw().iterate(runId) as Iterable<[number, Buffer | null]>) {
    perPrompt[ordinal] = steps ? decodeStepAggregates(new Uint8Array(steps.buffer, steps.byteOffset, steps.byteLength)) : [];
  }
  for (let o = 0; o < perPrompt.length; o++) perPrompt[o] ??= [];
  const inserter = new StepBlockInserter(db, runId);
  for (const b of blocksFromPrompts(perPrompt)) inserter.add(b);
  db.prepare(`UPDATE "Sample" SET "steps" = NULL WHERE "runId" = ?`).run(runId);

  const examples = new ExampleBlockWriter(db, runId);
  const rows = db
    .prepare(`SELECT "sampleOrdinal", "step", "epoch", "reward", "success", "responseLength", "response" FROM "Example" WHERE "runId" = ? ORDER BY "sampleOrdinal", "step", "id"`)
    .raw()
    .iterate(runId) as Iterable<[number, number, number, number, number, number, string]>;
  for (const [sampleOrdinal, step, epoch, reward, success, responseLength, response] of rows) {
    examples.add({ sampleOrdinal, step, epoch, reward, success: success === 1, responseLength, response });
  }
  examples.flush();
  db.prepare(`DELETE FROM "Example" WHERE "runId" = ?`).run(runId);
}
