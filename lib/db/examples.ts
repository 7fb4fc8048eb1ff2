import { getConnection } from "./connection";
import { asBoolean, queryRows } from "./sql";
import type { ExampleRecord } from "./types";

/** A sample's kept example rollouts, by step (then in the order ingest kept them). */
export async function getExamples(runId: number, ordinal: number): Promise<ExampleRecord[]> {
  const rows = await queryRows(
    await getConnection(),
    `SELECT "sampleOrdinal", "step", "epoch", "reward", "success", "responseLength", "response"
       FROM "Example" WHERE "runId" = ? AND "sampleOrdinal" = ? ORDER BY "step", "id"`,
    [
      [runId, "int"],
      [ordinal, "int"],
    ],
  );
  return rows.map((r) => ({
    sampleOrdinal: r[0] as number,
    step: r[1] as number,
    epoch: r[2] as number,
    reward: r[3] as number,
    success: asBoolean(r[4]),
    responseLength: r[5] as number,
    response: r[6] as string,
  }));
}
