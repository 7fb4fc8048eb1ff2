import { databaseUrl, providerOf } from "./client";
import { getReader } from "./connection";
import { datasetRows, datasetRowsOfPrompts } from "./dataset-blocks";
import type { DatasetRowRecord } from "./types";

/** The run's dataset rows in rowIndex order, a few blocks at a time: export never holds the whole dataset. */
export async function* streamDatasetRows(runId: number): AsyncIterable<DatasetRowRecord> {
  if (providerOf(databaseUrl()) === "postgresql") return yield* (await import("./postgres-reads")).datasetRowsPostgres(runId);
  yield* datasetRows(await getReader(), runId);
}

/** Every dataset row whose trimmed prompt is `prompt` (a dataset may repeat a prompt), by rowIndex. */
export async function getDatasetRows(runId: number, prompt: string): Promise<DatasetRowRecord[]> {
  return (await getDatasetRowsOfPrompts(runId, [prompt]))[0];
}

/** getDatasetRows for several prompts at once: the run's row hashes are read once. */
export async function getDatasetRowsOfPrompts(runId: number, prompts: readonly string[]): Promise<DatasetRowRecord[][]> {
  if (providerOf(databaseUrl()) === "postgresql") return (await import("./postgres-reads")).datasetRowsOfPromptsPostgres(runId, prompts);
  return datasetRowsOfPrompts(await getReader(), runId, prompts);
}
