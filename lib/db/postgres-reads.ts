import { inflateSync } from "node:zlib";
import type { Pool } from "pg";
import { RunColumnsBuilder, type RunColumns } from "../lim/run-columns";
import { databaseUrl } from "./client";
import { ensureMigrated } from "./connection";
import { holdsAny, promptKeyHash, rowsOfPrompts } from "./dataset-blocks";
import { BUCKET_BITS } from "./example-blocks";
import { inflateJson } from "./json-blocks";
import { blockRecords, promptsFromBlocks } from "./sample-blocks";
import { postgresPool } from "./postgres-pool";
import { addStoredBlocks, type StoredBlock } from "./step-blocks";
import type { DatasetRowRecord, ExampleRecord, SampleBlockRecords, SampleRecord } from "./types";

/**
 * The reads behind scoring, a prompt's page and export on PostgreSQL: the same blocks and
 * records as sample-blocks.ts, step-blocks.ts, example-blocks.ts and dataset-blocks.ts read
 * on SQLite, as plain `pg` queries (bytea arrives as a Buffer).
 */
async function pool(): Promise<Pool> {
  const url = databaseUrl();
  await ensureMigrated(url);
  return postgresPool(url);
}

async function rows<T extends unknown[]>(sql: string, values: unknown[]): Promise<T[]> {
  return (await (await pool()).query({ text: sql, values, rowMode: "array" })).rows as T[];
}

type StoredSample = [string, number | null, number | null];

export async function readSamplesPostgres(runId: number): Promise<SampleRecord[]> {
  const out: SampleRecord[] = [];
  for (const [first, data] of await rows<[number, Buffer]>(`SELECT "firstOrdinal", "data" FROM "SampleBlock" WHERE "runId" = $1 ORDER BY "firstOrdinal"`, [runId])) {
    const records = inflateJson<StoredSample[]>(data);
    for (let i = 0; i < records.length; i++) out.push(toSample(first + i, records[i]));
  }
  return out;
}

export async function readSamplePostgres(runId: number, ordinal: number): Promise<SampleRecord | null> {
  const [row] = await rows<[number, number, Buffer]>(
    `SELECT "firstOrdinal", "count", "data" FROM "SampleBlock" WHERE "runId" = $1 AND "firstOrdinal" <= $2 ORDER BY "firstOrdinal" DESC LIMIT 1`,
    [runId, ordinal],
  );
  if (!row || ordinal - row[0] >= row[1]) return null;
  return toSample(ordinal, inflateJson<StoredSample[]>(row[2])[ordinal - row[0]]);
}

const SAMPLE_PAGE = 8;

export async function* sampleBlocksPostgres(runId: number): AsyncGenerator<SampleBlockRecords> {
  for (let after = -1; ; ) {
    const blocks = await rows<[number, Buffer]>(`SELECT "firstOrdinal", "data" FROM "SampleBlock" WHERE "runId" = $1 AND "firstOrdinal" > $2 ORDER BY "firstOrdinal" LIMIT ${SAMPLE_PAGE}`, [runId, after]);
    for (const [first, data] of blocks) yield blockRecords(first, data);
    if (blocks.length < SAMPLE_PAGE) return;
    after = blocks[blocks.length - 1][0];
  }
}

export async function readPromptsPostgres(runId: number, ordinals: readonly number[]): Promise<string[]> {
  // The blocks holding the ordinals, read first (promptsFromBlocks is synchronous).
  const starts = [...new Set(ordinals)];
  const held = await rows<[number, number, Buffer]>(
    `SELECT b."firstOrdinal", b."count", b."data" FROM "SampleBlock" b WHERE b."runId" = $1 AND b."firstOrdinal" = ANY(
       SELECT (SELECT MAX(c."firstOrdinal") FROM "SampleBlock" c WHERE c."runId" = $1 AND c."firstOrdinal" <= o) FROM unnest($2::int[]) AS o)`,
    [runId, starts],
  );
  return promptsFromBlocks(ordinals, (o) => {
    const row = held.find(([first, count]) => o >= first && o < first + count);
    return row ? [row[0], row[2]] : undefined;
  });
}

function toSample(ordinal: number, [prompt, datasetRowIndex, publishedScore]: StoredSample): SampleRecord {
  return { ordinal, prompt, datasetRowIndex, publishedScore };
}

/** Step blocks per query: a million-prompt run never holds all its compressed blocks at once. */
const STEP_PAGE = 64;

/** A run's columns: its blocks' sizes in one query, then the blocks in pages of STEP_PAGE, in seq order. */
export async function readRunColumnsPostgres(runId: number, promptCount: number, withSums: boolean): Promise<RunColumns> {
  const sizes = await rows<[number, number, number]>(`SELECT "seq", "records", "entries" FROM "StepBlock" WHERE "runId" = $1 ORDER BY "seq"`, [runId]);
  const builder = new RunColumnsBuilder(promptCount, sizes.map(([, records, entries]) => ({ records, entries })), withSums);
  const columns = withSums ? `"seq", "records", "entries", "counts", "sums"` : `"seq", "records", "entries", "counts"`;
  for (let after = -1; ; ) {
    const page = await rows<[number, ...StoredBlock]>(`SELECT ${columns} FROM "StepBlock" WHERE "runId" = $1 AND "seq" > $2 ORDER BY "seq" LIMIT ${STEP_PAGE}`, [runId, after]);
    await addStoredBlocks(builder, page.map(([, ...block]) => block), runId, promptCount);
    if (page.length < STEP_PAGE) break;
    after = page[page.length - 1][0];
  }
  return builder.finish();
}

type StoredExample = [number, number, number, number, number, number, string];

export async function readExamplesPostgres(runId: number, ordinal: number): Promise<ExampleRecord[]> {
  const out: ExampleRecord[] = [];
  for (const [data] of await rows<[Buffer]>(`SELECT "data" FROM "ExampleBlock" WHERE "runId" = $1 AND "bucket" = $2 ORDER BY "seq"`, [runId, ordinal >>> BUCKET_BITS])) {
    for (const [o, step, epoch, reward, success, responseLength, response] of JSON.parse(inflateSync(data).toString("utf8")) as StoredExample[]) {
      if (o === ordinal) out.push({ sampleOrdinal: o, step, epoch, reward, success: success === 1, responseLength, response });
    }
  }
  return out.sort((a, b) => a.step - b.step);
}

type StoredRow = [number, string, string];
const DATASET_PAGE = 8;

export async function* datasetRowsPostgres(runId: number): AsyncGenerator<DatasetRowRecord> {
  for (let after = -1; ; ) {
    const blocks = await rows<[number, Buffer]>(`SELECT "firstRow", "data" FROM "DatasetBlock" WHERE "runId" = $1 AND "firstRow" > $2 ORDER BY "firstRow" LIMIT ${DATASET_PAGE}`, [runId, after]);
    for (const [, data] of blocks) for (const [rowIndex, prompt, json] of inflateJson<StoredRow[]>(data)) yield { rowIndex, prompt, json };
    if (blocks.length < DATASET_PAGE) return;
    after = blocks[blocks.length - 1][0];
  }
}

export async function datasetRowsOfPromptsPostgres(runId: number, prompts: readonly string[]): Promise<DatasetRowRecord[][]> {
  const blocks = await rows<[number, Buffer]>(`SELECT "firstRow", "hashes" FROM "DatasetBlock" WHERE "runId" = $1 ORDER BY "firstRow"`, [runId]);
  // The blocks that may hold a prompt, read first (rowsOfPrompts is synchronous).
  const wanted = new Set(prompts.map((p) => promptKeyHash(p)));
  const candidates = blocks.filter(([, hashes]) => holdsAny(hashes, wanted));
  const data = new Map<number, Buffer>();
  for (const [firstRow] of candidates) {
    const [[d]] = await rows<[Buffer]>(`SELECT "data" FROM "DatasetBlock" WHERE "runId" = $1 AND "firstRow" = $2`, [runId, firstRow]);
    data.set(firstRow, d);
  }
  return rowsOfPrompts(candidates, prompts, (firstRow) => data.get(firstRow)!);
}
