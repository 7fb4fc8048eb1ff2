/**
 * The browser's LimResult, rebuilt from the run view body so lib/methods can score every
 * method on the page with the CLI's own code. What the methods read is bit for bit the
 * server's: the logged accuracies travel losslessly (packed-array.ts), the back-fill below is
 * the reference's one left-to-right pass (lib/lim/lim-score.ts, scoreAccuracies), and the
 * scores, exclusion codes and average curve are the server's own numbers. The test beside this
 * file compares every method's scores with the ones computed from the server's LimResult.
 */
import type { LimResult } from "../lim/types";
import { unpackAccuracies } from "./packed-array";
import type { RunViewBody } from "./run-view-bytes";

/** Null for a run made from published scores (no trajectories: only LIM's scores). */
export function limResultOfView(body: RunViewBody): LimResult | null {
  const { header, columns } = body;
  const K = header.epochs;
  const P = header.prompts;
  if (K === 0) return null;
  const accuracy = unpackAccuracies({ values: columns.accuracyValues, index: columns.accuracy });
  const filled = accuracy.slice();
  const backfilled = new Uint8Array(P * K);
  for (let at = 0; at < P * K; at += K) {
    for (let k = 0; k < K - 1; k++) {
      if (Number.isNaN(filled[at + k]) && !Number.isNaN(filled[at + k + 1])) {
        filled[at + k] = filled[at + k + 1];
        backfilled[at + k] = 1;
      }
    }
  }
  let denominator = 0;
  for (const a of header.average) denominator += (1 - a) ** 2;
  const p = header.params;
  return {
    params: { stepsPerEpoch: p.stepsPerEpoch, successReward: p.successReward, maxEpochs: p.maxEpochs, epochMode: p.epochMode },
    epochsInLog: p.epochsInLog,
    visits: p.visits,
    average: header.average,
    denominator,
    prompts: P,
    epochs: K,
    accuracy,
    filled,
    backfilled,
    scores: columns.scores,
    exclusion: columns.exclusion,
  };
}
