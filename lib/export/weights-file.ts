import type { Writable } from "node:stream";
import { streamDatasetRows } from "../db";
import type { MethodScores } from "../methods/method-scores";
import { datasetIdFields, keyedById, rowId } from "../runs/prompt-keys";
import type { ScoredRun } from "../runs/score-run";
import { writeOut } from "./export-file";
import { rowPromptOf } from "./export-lines";
import { rowWeights } from "./row-weights";
import { writeJsonl } from "./write-jsonl";

export const WEIGHT_FORMATS = ["jsonl", "csv"] as const;
export type WeightFormat = (typeof WEIGHT_FORMATS)[number];

export function isWeightFormat(s: string): s is WeightFormat {
  return (WEIGHT_FORMATS as readonly string[]).includes(s);
}

/** A run without a dataset has no rows to weigh. */
export class NoDatasetError extends Error {}

export interface WeightsResult {
  /** Dataset rows written (every row of the dataset). */
  rows: number;
  /** Rows whose prompt has a score. */
  scored: number;
  bytes: number;
  sha256: string;
}

/**
 * One line per dataset row, in dataset order: `{"row": index, "id": id or null, "weight": w}`
 * (JSONL) or `row,id,weight` (CSV with a header), w from rowWeights over the method's scores.
 * The id is the row's dataset id when the run identifies prompts by id, else null.
 */
export async function exportWeights(scored: ScoredRun, scores: MethodScores, opts: { format: WeightFormat; floor: number; out: string | Writable }): Promise<WeightsResult> {
  const run = scored.run;
  if (run.datasetFile === null) throw new NoDatasetError(`run "${run.name}" has no dataset: weights are per dataset row (ingest it with --dataset)`);
  const promptOf = await rowPromptOf(scored, { mask: new Uint8Array(scores.score.length), rank: scores.score });
  const fields = keyedById(run) ? datasetIdFields(run) : null;
  const index: number[] = [];
  const ids: (string | null)[] = [];
  const rowScores: number[] = [];
  for await (const row of streamDatasetRows(run.id)) {
    const p = promptOf(row);
    index.push(row.rowIndex);
    ids.push(fields ? rowId(row.json, fields) : null);
    rowScores.push(p === undefined ? NaN : scores.score[p]);
  }
  const weights = rowWeights(rowScores, opts.floor);
  async function* lines(): AsyncGenerator<string> {
    if (opts.format === "csv") yield "row,id,weight\n";
    for (let r = 0; r < index.length; r++) {
      yield opts.format === "csv"
        ? `${index[r]},${ids[r] === null ? "" : csvCell(ids[r]!)},${weights[r]}\n`
        : `{"row":${index[r]},"id":${JSON.stringify(ids[r])},"weight":${weights[r]}}\n`;
    }
  }
  const written = await writeOut(opts.out, (sink) => writeJsonl(lines(), sink));
  return { rows: index.length, scored: rowScores.filter((s) => s === s).length, bytes: written.bytes, sha256: written.sha256 };
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
