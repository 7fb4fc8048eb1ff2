import { streamDatasetRows } from "../db";
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
 */
export async function* exportLines(scored: ScoredRun, opts: ExportOptions): AsyncGenerator<string> {
  // Several samples may hold one text (ids sharing a question, or one question logged under
  // two templates): a row is selected when any of them is, so each text keeps its best score.
  const scoreOf = new Map<string, number | null>();
  scored.prompts.forEach((p, i) => {
    const s = scored.scores[i];
    const had = scoreOf.get(p);
    if (had === undefined || had === null || (s !== null && s > had)) scoreOf.set(p, s);
  });

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
    const score = scoreOf.get(row.prompt);
    if (!isSelected(score, opts.threshold)) continue;
    yield (opts.withScores ? withScore(row.json, score as number) : row.json) + "\n";
  }
}

/** Appends `"lim_score": s` to a minified JSON object's text without re-serialising the row. */
function withScore(json: string, score: number): string {
  const body = json.slice(0, json.lastIndexOf("}"));
  const sep = body.trimEnd().endsWith("{") ? "" : ",";
  return `${body}${sep}"lim_score":${JSON.stringify(score)}}`;
}
