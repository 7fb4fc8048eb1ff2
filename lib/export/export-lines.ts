import { streamDatasetRows } from "../db";
import type { DatasetRowRecord } from "../db/types";
import { isSelected } from "../lim/select";
import type { ScoredRun } from "../runs/score-run";

export interface ExportOptions {
  threshold: number;
  withScores: boolean;
}

/**
 * The curated set as JSONL lines (each ending in "\n"): the original dataset rows whose prompt
 * is selected, in dataset order and unchanged; `{"prompt": ...}` per selected prompt when the
 * run has no dataset. The CLI and the web export both write exactly these lines.
 *
 * Prompts identified by text select every row with their text (the reference exports repeats
 * too). Prompts identified by id select the row of their id: two ids asking the same question
 * are two prompts with their own scores, and only the selected one's row is written.
 */
export async function* exportLines(scored: ScoredRun, opts: ExportOptions): AsyncGenerator<string> {
  const scoreOfRow = scored.run.idField === null ? rowScoresByText(scored) : rowScoresById(scored);

  if (scored.run.datasetFile === null) {
    for (let i = 0; i < scored.prompts.length; i++) {
      const score = scored.scores[i];
      if (!isSelected(score, opts.threshold)) continue;
      const row: Record<string, unknown> = { prompt: scored.prompts[i] };
      if (opts.withScores) row.lim_score = score;
      yield JSON.stringify(row) + "\n";
    }
    return;
  }

  for await (const row of streamDatasetRows(scored.run.id)) {
    const score = scoreOfRow(row);
    if (!isSelected(score, opts.threshold)) continue;
    yield (opts.withScores ? withScore(row.json, score as number) : row.json) + "\n";
  }
}

type RowScore = (row: DatasetRowRecord) => number | null | undefined;

/**
 * By text. Several samples may hold one text (one question logged under two templates): a
 * row is selected when any of them is, so each text keeps its best score.
 */
function rowScoresByText(scored: ScoredRun): RowScore {
  const scoreOf = new Map<string, number | null>();
  scored.prompts.forEach((p, i) => {
    const s = scored.scores[i];
    const had = scoreOf.get(p);
    if (had === undefined || had === null || (s !== null && s > had)) scoreOf.set(p, s);
  });
  return (row) => scoreOf.get(row.prompt);
}

/** By id: each sample's own row (the first row carrying its id). */
function rowScoresById(scored: ScoredRun): RowScore {
  const scoreOf = new Map<number, number | null>();
  scored.datasetRows.forEach((row, i) => row !== null && scoreOf.set(row, scored.scores[i]));
  return (row) => scoreOf.get(row.rowIndex);
}

/** Appends `"lim_score": s` to a minified JSON object's text without re-serialising the row. */
function withScore(json: string, score: number): string {
  const body = json.slice(0, json.lastIndexOf("}"));
  const sep = body.trimEnd().endsWith("{") ? "" : ",";
  return `${body}${sep}"lim_score":${JSON.stringify(score)}}`;
}
