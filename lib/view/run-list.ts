/** Rows of the runs list: stored facts plus scored/excluded counts at the run's own parameters. */
import { completeEpochs } from "../lim/epochs";
import type { RunRecord } from "../db/types";

export interface RunListRow {
  name: string;
  format: string;
  kind: RunRecord["kind"];
  prompts: number;
  /** Null when scoring failed (the row still lists, with the reason on its page). */
  scored: number | null;
  excluded: number | null;
  epochs: number | null;
  rollouts: number;
  createdAt: string;
  datasetFile: string | null;
}

export function runListRows(runs: readonly RunRecord[], counts: readonly ({ scored: number; excluded: number } | null)[]): RunListRow[] {
  return runs.map((run, i) => {
    const c = counts[i];
    return {
      name: run.name,
      format: run.kind === "scores" ? "published scores" : run.format,
      kind: run.kind,
      prompts: run.sampleCount,
      scored: c ? c.scored : null,
      excluded: c ? c.excluded : null,
      epochs: run.kind === "scores" ? null : completeEpochs(run.lastStep, run.stepsPerEpoch),
      rollouts: run.rolloutCount,
      createdAt: new Date(run.createdAt).toISOString(),
      datasetFile: run.datasetFile,
    };
  });
}
