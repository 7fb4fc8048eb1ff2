import { DatabaseBusyError, storeRunCounts } from "../db";
import type { RunCounts, RunRecord } from "../db/types";
import { scoreRun } from "./score-run";

/**
 * A run's counts at its own parameters, scored once and stored with the run, so the runs
 * list reads them instead of scoring every run on each visit. Called by every door that
 * writes a run (ingest, an append, an import); a run without them (written by an older
 * version, or by a process killed just after its commit) gets them on first listing.
 */
export async function refreshRunCounts(run: RunRecord): Promise<RunCounts> {
  const scored = await scoreRun(run.name, {}, { withPrompts: false });
  let n = 0;
  for (const s of scored.scores) if (s !== null) n++;
  const counts = { scored: n, excluded: scored.scores.length - n, epochs: scored.params.maxEpochs ?? 0 };
  try {
    await storeRunCounts(scored.run, counts);
  } catch (error) {
    // Another process is writing a run: the counts are right, and are stored on a later listing.
    if (!(error instanceof DatabaseBusyError)) throw error;
  }
  return counts;
}

/** The stored counts, computed and stored first when the run has none. */
export async function runCounts(run: RunRecord): Promise<RunCounts> {
  return run.counts ?? refreshRunCounts(run);
}

/**
 * The run just written, with its counts stored. The write itself has committed: counts that
 * cannot be computed now (a run no parameter scores) are left for the runs list to try.
 */
export async function withStoredCounts(run: RunRecord): Promise<RunRecord> {
  try {
    return { ...run, counts: await refreshRunCounts(run) };
  } catch {
    return run;
  }
}
