import { writeRun } from "../db";
import { withStoredCounts } from "../runs/run-counts";
import { DEFAULT_RUN_OPTIONS, EMPTY_RUN_COUNTS, type RunRecord, type SampleRecord } from "../db/types";
import { readDatasetRows, type DatasetInfo } from "./dataset/read-dataset";
import { trimPrompt } from "./scan/trim-prompt";
import { readScoresFile } from "./read-scores-file";

export interface ImportScoresOptions {
  file: string;
  name: string;
  dataset: string;
  promptField: string;
  replace: boolean;
  onMessage?: (message: string) => void;
}

/**
 * Makes a run from precomputed `[{prompt, score}]` joined with the original dataset, so the
 * published selection can be exported like any other (LIMR's scores.json -> its 1,389 rows).
 */
export async function importScores(o: ImportScoresOptions): Promise<RunRecord> {
  const say = o.onMessage ?? (() => {});
  const scores = await readScoresFile(o.file);
  const seen = new Set<string>();
  const samples: SampleRecord[] = [];
  for (const s of scores) {
    const prompt = trimPrompt(s.prompt);
    if (seen.has(prompt)) {
      say(`${o.file}: prompt repeated, keeping its first score: ${prompt.slice(0, 60)}`);
      continue;
    }
    seen.add(prompt);
    samples.push({ ordinal: samples.length, prompt, publishedScore: s.score, datasetRowIndex: null });
  }

  return withStoredCounts(await writeRun(
    {
      name: o.name,
      format: "scores",
      kind: "scores",
      source: o.file,
      stepsPerEpoch: 1,
      successReward: 1,
      promptField: o.promptField,
      keepExamples: 0,
      ...EMPTY_RUN_COUNTS,
      ...DEFAULT_RUN_OPTIONS,
      sampleCount: samples.length,
      datasetFile: o.dataset,
      warnings: [],
    },
    async (writer) => {
      const firstRow = new Map<string, number>();
      let rowCount = 0;
      let unseen = 0;
      // Format and (Parquet) schema are recorded as ingest records them, so a Parquet export
      // of the published selection keeps the dataset's own types.
      const info: DatasetInfo = {};
      for await (const rows of readDatasetRows({ file: o.dataset, promptField: o.promptField, info })) {
        for (const row of rows) {
          if (!firstRow.has(row.prompt)) firstRow.set(row.prompt, row.rowIndex);
          if (!seen.has(row.prompt)) unseen++;
        }
        rowCount += rows.length;
        await writer.addDatasetRows(rows);
      }
      let unmatched = 0;
      for (const s of samples) {
        s.datasetRowIndex = firstRow.get(s.prompt) ?? null;
        if (s.datasetRowIndex === null) unmatched++;
      }
      await writer.addSamples(samples);
      say(`${samples.length.toLocaleString("en-US")} scored prompts, ${rowCount.toLocaleString("en-US")} dataset rows; ` +
        `${unmatched} prompts with no dataset row, ${unseen} dataset rows without a score.`);
      return {
        datasetRowCount: rowCount,
        unmatchedPrompts: unmatched,
        unseenDatasetRows: unseen,
        datasetFormat: info.format ?? null,
        datasetSchema: info.schema ?? null,
      };
    },
    { replace: o.replace },
  ));
}
