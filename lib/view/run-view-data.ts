/**
 * The run page's data, shaped compactly for the browser: typed arrays per column rather than
 * an object per prompt (encoded by run-view-bytes.ts), so a million prompts travel and decode
 * quickly and threshold changes stay in the browser. Built on the server from lib/runs'
 * ScoredRun; nothing here scores.
 */
import { toRunInfo } from "./run-info";
import { loggedSuccessField } from "../lim/success-rule";
import type { ScoredRun } from "../runs/score-run";
import { epochBand } from "./prepare-average-curve";
import { logShape } from "../methods/warnings";
import { packAccuracies } from "./packed-array";
import type { RunViewBody } from "./run-view-bytes";

export { EXCLUSION_CODES } from "../lim/types";

/**
 * The run page's data for one scored run: the header and the per-prompt columns that
 * run-view-bytes.ts encodes. No prompt texts: the page fetches the rows it shows.
 */
export function buildRunView(scored: ScoredRun, rollouts: readonly number[]): RunViewBody {
  const lim = scored.lim;
  const K = lim ? lim.epochs : 0;
  const band = lim ? epochBand(lim) : { q25: [], q75: [] };
  const n = scored.exclusion.length; // prompts: the server scores without their texts
  const accuracy = packAccuracies(lim ? lim.accuracy : new Float64Array(0));
  return {
    header: {
      run: toRunInfo(scored.run),
      params: {
        ...scored.params,
        maxEpochs: K,
        successRule: scored.run.successRule,
        successField: loggedSuccessField(scored.run),
        epochsInLog: lim?.epochsInLog ?? 0,
        visits: lim?.visits ?? null,
      },
      epochs: K,
      prompts: n,
      average: lim?.average ?? [],
      q25: band.q25,
      q75: band.q75,
      logShape: lim && scored.columns ? logShape(scored.columns) : null,
    },
    columns: {
      scores: lim ? lim.scores : Float64Array.from(scored.scores, (s) => (s === null ? NaN : s)),
      exclusion: scored.exclusion,
      rollouts: Uint32Array.from(rollouts),
      accuracy: accuracy.index,
      accuracyValues: accuracy.values,
    },
  };
}
