/**
 * The browser's working copy of a run: RunViewData decoded into typed columns once, so
 * sorting, filtering, counting and drawing never allocate per prompt per interaction.
 */
import { backfill } from "../lim/lim-score";
import { ACCURACY_SCALE, accuracyAt, NO_VALUE, unpackAccuracies } from "./packed-array";
import type { RunViewData } from "./run-view-data";
import type { TableColumns } from "./table-order";

export interface RunModel extends TableColumns {
  data: RunViewData;
  n: number;
  epochs: number;
  scored: number;
  acc: Uint16Array;
}

export function buildRunModel(data: RunViewData): RunModel {
  const n = data.texts.length;
  const K = data.epochs;
  const acc = K > 0 ? unpackAccuracies(data.acc) : new Uint16Array(0);
  const first = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n).fill(NaN);
  const mean = new Float64Array(n).fill(NaN);
  // One pass over the packed accuracies (65535 = no rollout that epoch).
  for (let i = 0, at = 0; i < n && K > 0; i++, at += K) {
    if (acc[at] !== NO_VALUE) first[i] = acc[at] / ACCURACY_SCALE;
    if (acc[at + K - 1] !== NO_VALUE) last[i] = acc[at + K - 1] / ACCURACY_SCALE;
    let sum = 0;
    let m = 0;
    for (let k = at; k < at + K; k++) {
      const q = acc[k];
      if (q !== NO_VALUE) {
        sum += q;
        m++;
      }
    }
    if (m > 0) mean[i] = sum / m / ACCURACY_SCALE;
  }
  let scored = 0;
  const scoreKey = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = data.scores[i];
    scoreKey[i] = s === null ? NaN : s;
    if (s !== null) scored++;
  }
  return { data, n, epochs: K, scored, acc, texts: data.texts, scores: data.scores, scoreKey, rollouts: data.rollouts, first, last, mean };
}

/** One prompt's logged accuracy per epoch (null = no rollout). */
export function loggedAccuracy(model: RunModel, i: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let k = 0; k < model.epochs; k++) out.push(accuracyAt(model.acc, i * model.epochs + k));
  return out;
}

/** Logged, back-filled (with lib/lim's own back-fill) and which epochs were filled. */
export function promptSeries(model: RunModel, i: number) {
  const logged = loggedAccuracy(model, i);
  const { filled, backfilled } = backfill(logged);
  return { logged, filled, backfilled };
}
