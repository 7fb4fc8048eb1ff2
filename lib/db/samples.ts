import { getConnection } from "./connection";
import { asBytes, queryRows } from "./sql";
import type { SampleRecord } from "./types";

const COLUMNS = `"ordinal", "prompt", "steps", "rolloutCount", "publishedScore", "datasetRowIndex"`;

/** Every sample of a run, by ordinal: the scoring hot path, so only the columns it needs. */
export async function loadSamples(runId: number): Promise<SampleRecord[]> {
  const rows = await queryRows(await getConnection(), `SELECT ${COLUMNS} FROM "Sample" WHERE "runId" = ? ORDER BY "ordinal"`, [[runId, "int"]]);
  const out: SampleRecord[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = toSample(rows[i]);
  return out;
}

export async function getSample(runId: number, ordinal: number): Promise<SampleRecord | null> {
  const rows = await queryRows(await getConnection(), `SELECT ${COLUMNS} FROM "Sample" WHERE "runId" = ? AND "ordinal" = ?`, [
    [runId, "int"],
    [ordinal, "int"],
  ]);
  return rows.length ? toSample(rows[0]) : null;
}

function toSample(r: unknown[]): SampleRecord {
  return {
    ordinal: r[0] as number,
    prompt: r[1] as string,
    steps: asBytes(r[2]),
    rolloutCount: r[3] as number,
    publishedScore: r[4] as number | null,
    datasetRowIndex: r[5] as number | null,
  };
}
