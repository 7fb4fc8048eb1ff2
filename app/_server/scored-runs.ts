import { gzipSync } from "node:zlib";
import { getRun, type RunCounts, type RunRecord } from "../../lib/db";
import { runCounts } from "../../lib/runs/run-counts";
import { RunNotFoundError, scoreRun, type ScoredRun, type ScoreOverrides } from "../../lib/runs/score-run";
import { buildRunViewData } from "../../lib/view/run-view-data";

/**
 * Scored runs the server computed recently. A researcher moves between the runs list, a run
 * page, its prompts and the export with the same parameters; scoring 100k prompts again for
 * each would cost a second or more every time. Keyed by the run's id and the time its rows
 * last changed, so neither a replaced run nor a watched run that grew is served stale.
 */
interface Entry {
  scored: ScoredRun;
  rollouts: number[];
  /** The run page's JSON, gzipped once per scored run. */
  view?: Buffer;
}

const MAX_ENTRIES = 4;
const cache = new Map<string, Promise<Entry>>();

export async function getScoredRun(name: string, overrides: ScoreOverrides = {}): Promise<Entry> {
  const run = await getRun(name);
  if (!run) throw new RunNotFoundError(name);
  const key = JSON.stringify([run.id, new Date(run.updatedAt).getTime(), overrides.stepsPerEpoch ?? null, overrides.maxEpochs ?? null, overrides.successReward ?? null, overrides.epochMode ?? null]);
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key); // most recently used last
  } else {
    entry = (async () => {
      const scored = await scoreRun(name, overrides, { withSums: true });
      return { scored, rollouts: scored.rollouts };
    })();
    entry.catch(() => cache.delete(key));
  }
  cache.set(key, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return entry;
}

/**
 * The run page's data as gzipped JSON, built once per scored run. Level 1 compresses 13 MB
 * (100k prompts) to ~2 MB in ~0.1 s; the browser's network path is the slow part.
 */
export async function getRunViewPayload(name: string, overrides: ScoreOverrides): Promise<Buffer> {
  const entry = await getScoredRun(name, overrides);
  entry.view ??= gzipSync(asciiJson(buildRunViewData(entry.scored, entry.rollouts)), { level: 1 });
  return entry.view;
}

/** Scored and excluded counts at a run's own parameters, for the runs list: stored with the run. */
export async function getRunCounts(run: RunRecord): Promise<RunCounts> {
  return runCounts(run);
}

/**
 * JSON with every non-ASCII character escaped: the browser then decodes and parses a
 * one-byte string (a single "θ" would otherwise make all 13 MB a two-byte string, ~2x slower).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Forget cached scores (after a delete or an ingest). */
export function forgetRun(): void {
  cache.clear();
}
