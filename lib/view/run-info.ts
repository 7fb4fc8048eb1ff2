import type { RunRecord } from "../db/types";

/** A run's stored facts as pages show them (the date as ISO text: it crosses the wire). */
export type RunInfo = Omit<RunRecord, "id" | "createdAt" | "counts"> & { createdAt: string };

export function toRunInfo(run: RunRecord): RunInfo {
  const { id: _id, createdAt, counts: _counts, ...facts } = run;
  return { ...facts, createdAt: new Date(createdAt).toISOString() };
}
