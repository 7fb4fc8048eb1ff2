/** Rows of the runs list: stored facts plus scored/excluded counts at the run's own parameters. */
import type { RunRecord } from "../db/types";

export interface RunListRow {
  name: string;
  format: string;
  kind: RunRecord["kind"];
  prompts: number;
  /** Null when scoring failed (the row still lists, with the reason on its page). */
  scored: number | null;
  excluded: number | null;
  /** Epochs scored at the run's own parameters and epoch rule. */
  epochs: number | null;
  rollouts: number;
  /** `lim ingest --watch` is still adding steps. */
  live: boolean;
  createdAt: string;
  datasetFile: string | null;
}

export function runListRows(runs: readonly RunRecord[], counts: readonly ({ scored: number; excluded: number; epochs: number } | null)[]): RunListRow[] {
  return runs.map((run, i) => {
    const c = counts[i];
    return {
      name: run.name,
      format: run.kind === "scores" ? "published scores" : run.format,
      kind: run.kind,
      prompts: run.sampleCount,
      scored: c ? c.scored : null,
      excluded: c ? c.excluded : null,
      epochs: run.kind === "scores" || !c ? null : c.epochs,
      rollouts: run.rolloutCount,
      live: run.live,
      createdAt: new Date(run.createdAt).toISOString(),
      datasetFile: run.datasetFile,
    };
  });
}
