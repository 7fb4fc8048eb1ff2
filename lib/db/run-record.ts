import { asDate } from "./sql";
import type { NewRun, RunKind, RunRecord } from "./types";

/** Run columns as writeRun inserts them, and how each value must look. */
type Check = "text" | "text?" | "int" | "count" | "number" | "kind" | "strings" | "bool" | "epochMode" | "datasetFormat" | "successRule";
export const RUN_FIELDS: readonly [keyof NewRun, Check][] = [
  ["name", "text"],
  ["format", "text"],
  ["kind", "kind"],
  ["source", "text"],
  ["stepsPerEpoch", "count"],
  ["successReward", "number"],
  ["promptField", "text"],
  ["keepExamples", "count"],
  ["sampleCount", "count"],
  ["rolloutCount", "count"],
  ["stepCount", "count"],
  ["firstStep", "int"],
  ["lastStep", "int"],
  ["bytesRead", "count"],
  ["datasetFile", "text?"],
  ["datasetRowCount", "count"],
  ["unmatchedPrompts", "count"],
  ["unseenDatasetRows", "count"],
  ["warnings", "strings"],
  ["notes", "strings"],
  ["successRule", "successRule"],
  ["epochMode", "epochMode"],
  ["idField", "text?"],
  ["datasetFormat", "datasetFormat"],
  ["datasetSchema", "text?"],
  ["live", "bool"],
];

/** The stored value of one run field, or a clear error naming the field. */
export function runFieldValue(run: NewRun, field: keyof NewRun, check: Check): unknown {
  const value = run[field] as unknown;
  const bad = (want: string) =>
    new TypeError(`run "${String(run.name)}": field ${field} must be ${want}, got ${JSON.stringify(value) ?? String(value)}`);
  switch (check) {
    case "text":
      if (typeof value !== "string") throw bad("a string");
      return value;
    case "text?":
      if (value !== null && typeof value !== "string") throw bad("a string or null");
      return value;
    case "kind":
      if (value !== "rollouts" && value !== "scores") throw bad('"rollouts" or "scores"');
      return value;
    case "int":
      if (!Number.isSafeInteger(value)) throw bad("an integer");
      return value;
    case "count":
      if (!Number.isSafeInteger(value) || (value as number) < 0) throw bad("a non-negative integer");
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw bad("a finite number");
      return value;
    case "strings":
      if (!Array.isArray(value) || value.some((w) => typeof w !== "string")) throw bad("an array of strings");
      return JSON.stringify(value);
    case "bool":
      if (typeof value !== "boolean") throw bad("true or false");
      return value ? 1 : 0;
    case "successRule":
      if (value !== "equals" && value !== "at-least" && value !== "logged") throw bad('"equals", "at-least" or "logged"');
      return value;
    case "epochMode":
      if (value !== "steps" && value !== "visits") throw bad('"steps" or "visits"');
      return value;
    case "datasetFormat":
      if (value !== null && !["json", "jsonl", "csv", "parquet"].includes(value as string)) throw bad('"json", "jsonl", "csv", "parquet" or null');
      return value;
  }
}

/** The stored counts (RunCounts), written by storeRunCounts after the run's rows. */
export const COUNT_COLUMNS = ["scoredCount", "excludedCount", "scoredEpochs"] as const;

/** The columns toRunRecord reads, in its order. */
export const RUN_SELECT = ["id", ...RUN_FIELDS.map((f) => f[0]), "createdAt", "updatedAt", ...COUNT_COLUMNS].map((c) => `"${c}"`).join(", ");

export function toRunRecord(row: unknown[]): RunRecord {
  const record: Record<string, unknown> = { id: Number(row[0]) };
  RUN_FIELDS.forEach(([field], i) => {
    const value = row[i + 1];
    // BIGINT columns come back as numbers when safe, as text beyond 2^53.
    record[field] = typeof value === "string" && (field === "rolloutCount" || field === "bytesRead") ? Number(value) : value;
  });
  record.kind = record.kind as RunKind;
  record.warnings = parseStrings(String(record.warnings));
  record.notes = parseStrings(String(record.notes));
  record.live = record.live === 1 || record.live === true || record.live === 1n;
  record.createdAt = asDate(row[RUN_FIELDS.length + 1]);
  record.updatedAt = asDate(row[RUN_FIELDS.length + 2]);
  const [scored, excluded, epochs] = row.slice(RUN_FIELDS.length + 3).map((v) => (v === null || v === undefined ? null : Number(v)));
  record.counts = scored === null || excluded === null || epochs === null ? null : { scored, excluded, epochs };
  return record as unknown as RunRecord;
}

function parseStrings(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [String(value)];
  } catch {
    return [text];
  }
}
