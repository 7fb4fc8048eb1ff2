/**
 * The browser's working copy of a run: the run view body's columns (views over the received
 * bytes, run-view-bytes.ts) plus what is derived from them once: first, last and mean logged
 * accuracy for the table, and the scores sorted for the threshold's count and the histogram.
 * Sorting, filtering, counting and drawing then never allocate per prompt per interaction.
 * No texts: the table and panel fetch those for the rows they show.
 */
import { backfill } from "../lim/lim-score";
import { sortedScores } from "../lim/select";
import type { LimResult } from "../lim/types";
import { accuracyAt, NO_VALUE, type PackedAccuracies } from "./packed-array";
import type { RunViewBody, RunViewHeader } from "./run-view-bytes";
import type { TableColumns } from "./table-order";
import { limResultOfView } from "./view-lim-result";

export interface RunModel extends TableColumns {
  header: RunViewHeader;
  n: number;
  epochs: number;
  /** Prompts with a score. */
  scored: number;
  /** LIM score per prompt, NaN when excluded. */
  scores: Float64Array;
  scoreKey: Float64Array;
  /** The scored prompts' scores, ascending (countSelectedSorted, histogramBins). */
  sorted: Float64Array;
  exclusion: Uint8Array;
  rollouts: Uint32Array;
  acc: PackedAccuracies;
  /** The run's LimResult as lib/methods reads it (view-lim-result.ts); null for published scores. */
  lim: LimResult | null;
}

export function buildRunModel(body: RunViewBody): RunModel {
  const { header, columns } = body;
  const n = header.prompts;
  const K = header.epochs;
  const acc: PackedAccuracies = { values: columns.accuracyValues, index: columns.accuracy };
  const { values, index } = acc;
  const first = new Float64Array(n).fill(NaN);
  const last = new Float64Array(n).fill(NaN);
  const mean = new Float64Array(n).fill(NaN);
  // One pass over the packed accuracies (index NO_VALUE = no rollout that epoch).
  for (let i = 0, at = 0; i < n && K > 0; i++, at += K) {
    first[i] = values[index[at]];
    last[i] = values[index[at + K - 1]];
    let sum = 0;
    let m = 0;
    for (let k = at; k < at + K; k++) {
      const q = index[k];
      if (q !== NO_VALUE) {
        sum += values[q];
        m++;
      }
    }
    if (m > 0) mean[i] = sum / m;
  }
  const sorted = sortedScores(columns.scores);
  return {
    header,
    n,
    epochs: K,
    scored: sorted.length,
    scores: columns.scores,
    scoreKey: columns.scores,
    sorted,
    exclusion: columns.exclusion,
    rollouts: columns.rollouts,
    acc,
    first,
    last,
    mean,
    lim: limResultOfView(body),
  };
}

/** Prompt i's score, null when excluded. */
export function scoreOf(model: RunModel, i: number): number | null {
  const s = model.scores[i];
  return s === s ? s : null;
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
