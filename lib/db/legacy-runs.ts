import type { Database } from "better-sqlite3";
import { blocksFromPrompts } from "../lim/run-columns";
import { decodeStepAggregates } from "../lim/step-aggregates";
import type { StepAggregate } from "../lim/types";
import { DatasetBlockWriter } from "./dataset-blocks";
import { ExampleBlockWriter } from "./example-blocks";
import { SampleBlockWriter } from "./sample-blocks";
import { StepBlockInserter } from "./step-blocks";

/**
 * Runs written by earlier versions are converted once, run by run, each in its own
 * transaction (a kill leaves every run either converted or as it was, and the next open
 * resumes), into the same blocks a new ingest writes, so they score, show and export exactly
 * as before:
 * - before step blocks, each prompt's aggregates sat in Sample.steps and each example in its
 *   own Example row;
 * - before text blocks, each prompt was a Sample row and each dataset row a DatasetRow row.
 */
export function convertLegacyRuns(db: Database): number {
  const pending = db
    .prepare(`SELECT "id" FROM "Run" r WHERE EXISTS (SELECT 1 FROM "Sample" s WHERE s."runId" = r."id") OR EXISTS (SELECT 1 FROM "DatasetRow" d WHERE d."runId" = r."id")`)
    .pluck()
    .all() as number[];
  for (const runId of pending) {
    db.transaction(() => {
      const hasBlocks = db.prepare(`SELECT 1 FROM "StepBlock" WHERE "runId" = ? LIMIT 1`).get(runId) !== undefined;
      if (!hasBlocks) convertSteps(db, runId);
      convertTexts(db, runId);
    }).immediate();
  }
  return pending.length;
}

function convertTexts(db: Database, runId: number): void {
  const samples = new SampleBlockWriter(db, runId);
  const sampleRows = db.prepare(`SELECT "ordinal", "prompt", "publishedScore", "datasetRowIndex" FROM "Sample" WHERE "runId" = ? ORDER BY "ordinal"`).raw().all(runId) as [number, string, number | null, number | null][];
  for (const [ordinal, prompt, publishedScore, datasetRowIndex] of sampleRows) samples.add({ ordinal, prompt, publishedScore, datasetRowIndex });
  samples.flush();
  db.prepare(`DELETE FROM "Sample" WHERE "runId" = ?`).run(runId);

  const rows = new DatasetBlockWriter(db, runId);
  const page = db.prepare(`SELECT "rowIndex", "prompt", "json" FROM "DatasetRow" WHERE "runId" = ? AND "rowIndex" > ? ORDER BY "rowIndex" LIMIT 4096`).raw();
  for (let after = -1; ; ) {
    const batch = page.all(runId, after) as [number, string, string][];
    for (const [rowIndex, prompt, json] of batch) rows.add({ rowIndex, prompt, json });
    if (batch.length < 4096) break;
    after = batch[batch.length - 1][0];
  }
  rows.flush();
  db.prepare(`DELETE FROM "DatasetRow" WHERE "runId" = ?`).run(runId);
}

function convertSteps(db: Database, runId: number): void {
  const perPrompt: StepAggregate[][] = [];
  for (const [ordinal, steps] of db.prepare(`SELECT "ordinal", "steps" FROM "Sample" WHERE "runId" = ? ORDER BY "ordinal"`).raw().iterate(runId) as Iterable<[number, Buffer | null]>) {
    perPrompt[ordinal] = steps ? decodeStepAggregates(new Uint8Array(steps.buffer, steps.byteOffset, steps.byteLength)) : [];
  }
  for (let o = 0; o < perPrompt.length; o++) perPrompt[o] ??= [];
  const inserter = new StepBlockInserter(db, runId);
  for (const b of blocksFromPrompts(perPrompt)) inserter.add(b);

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
