import type { RunColumns } from "../lim/run-columns";
import { databaseUrl, providerOf } from "./client";
import { getReader } from "./connection";
import { readExamples } from "./example-blocks";
import { readPrompts, readSample, readSamples, sampleBlocks } from "./sample-blocks";
import { readRunColumns } from "./step-blocks";
import type { ExampleRecord, SampleBlockRecords, SampleRecord } from "./types";

/** The reads behind scoring and a prompt's page, on the plain better-sqlite3 connection. */

/** Every sample of a run, by ordinal. */
export async function loadSamples(runId: number): Promise<SampleRecord[]> {
  if (onPostgres()) return (await import("./postgres-reads")).readSamplesPostgres(runId);
  return readSamples(await getReader(), runId);
}

/** The run's prompts a block at a time, in ordinal order: a million prompts never held at once. */
export async function* streamSampleBlocks(runId: number): AsyncIterable<SampleBlockRecords> {
  if (onPostgres()) return yield* (await import("./postgres-reads")).sampleBlocksPostgres(runId);
  yield* sampleBlocks(await getReader(), runId);
}

/** The stored prompts of some ordinals, in the order asked (only the blocks holding them are read). */
export async function getPrompts(runId: number, ordinals: readonly number[]): Promise<string[]> {
  if (onPostgres()) return (await import("./postgres-reads")).readPromptsPostgres(runId, ordinals);
  return readPrompts(await getReader(), runId, ordinals);
}

export async function getSample(runId: number, ordinal: number): Promise<SampleRecord | null> {
  if (onPostgres()) return (await import("./postgres-reads")).readSamplePostgres(runId, ordinal);
  return readSample(await getReader(), runId, ordinal);
}

/**
 * Every step of a run as columns (step-blocks.ts). Without sums (scoring), the per-record
 * reward and length sums are not read at all.
 */
export async function loadRunColumns(runId: number, promptCount: number, opts: { withSums?: boolean } = {}): Promise<RunColumns> {
  if (onPostgres()) return (await import("./postgres-reads")).readRunColumnsPostgres(runId, promptCount, opts.withSums ?? false);
  return readRunColumns(await getReader(), runId, promptCount, opts.withSums ?? false);
}

/** A sample's kept example rollouts, by step (then in the order ingest kept them). */
export async function getExamples(runId: number, ordinal: number): Promise<ExampleRecord[]> {
  if (onPostgres()) return (await import("./postgres-reads")).readExamplesPostgres(runId, ordinal);
  return readExamples(await getReader(), runId, ordinal);
}

/** PostgreSQL's reads are postgres-reads.ts: the same blocks, through `pg`. */
function onPostgres(): boolean {
  return providerOf(databaseUrl()) === "postgresql";
}
