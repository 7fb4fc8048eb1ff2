/** The model's learning curve: average accuracy per epoch with a 25-75% band over the prompts. */
import { EXCLUSION_CODES, type LimResult } from "../lim/types";
import { quantile } from "../runs/summarize";

/**
 * Per epoch, the 25th and 75th percentile of the kept prompts' accuracy (back-filled, as
 * scored): the spread around the same average the scores are measured against.
 */
export function epochBand(lim: LimResult, lo = 0.25, hi = 0.75): { q25: number[]; q75: number[] } {
  const kept: number[] = [];
  for (let p = 0; p < lim.prompts; p++) if (lim.exclusion[p] !== EXCLUSION_CODES["missing-epochs"]) kept.push(p);
  const K = lim.average.length;
  const q25: number[] = [];
  const q75: number[] = [];
  const column = new Float64Array(kept.length);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < kept.length; i++) column[i] = lim.filled[kept[i] * lim.epochs + k];
    column.sort();
    q25.push(quantile(column as unknown as number[], lo));
    q75.push(quantile(column as unknown as number[], hi));
  }
  return { q25, q75 };
}

export interface AverageCurveRow {
  epoch: number;
  average: number;
  /** [25th, 75th] percentile, for a range area. */
  band: [number, number];
}

export function averageCurveRows(average: readonly number[], q25: readonly number[], q75: readonly number[]): AverageCurveRow[] {
  return average.map((a, k) => ({ epoch: k + 1, average: a, band: [q25[k], q75[k]] }));
}
