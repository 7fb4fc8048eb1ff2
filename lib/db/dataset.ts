import { getConnection } from "./connection";
import { promptHash } from "./prompt-hash";
import { queryRows } from "./sql";
import type { DatasetRowRecord } from "./types";

/** Rows per read: export streams a whole dataset without holding it in memory. */
const BATCH = 2000;

/** The run's dataset rows in rowIndex order, read in batches. */
export async function* streamDatasetRows(runId: number): AsyncIterable<DatasetRowRecord> {
  const conn = await getConnection();
  let after = -1;
  for (;;) {
    const rows = await queryRows(
      conn,
      `SELECT "rowIndex", "prompt", "json" FROM "DatasetRow" WHERE "runId" = ? AND "rowIndex" > ? ORDER BY "rowIndex" LIMIT ${BATCH}`,
      [
        [runId, "int"],
        [after, "int"],
      ],
    );
    for (const r of rows) yield toRow(r);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1][0] as number;
  }
}

/** Every dataset row whose trimmed prompt is `prompt` (a dataset may repeat a prompt), by rowIndex. */
export async function getDatasetRows(runId: number, prompt: string): Promise<DatasetRowRecord[]> {
  const key = prompt.trim();
  const rows = await queryRows(
    await getConnection(),
    `SELECT "rowIndex", "prompt", "json" FROM "DatasetRow" WHERE "runId" = ? AND "promptHash" = ? ORDER BY "rowIndex"`,
    [
      [runId, "int"],
      [promptHash(key), "string"],
    ],
  );
  return rows.map(toRow).filter((row) => row.prompt.trim() === key); // a hash match is not proof
}

function toRow(r: unknown[]): DatasetRowRecord {
  return { rowIndex: r[0] as number, prompt: r[1] as string, json: r[2] as string };
}
