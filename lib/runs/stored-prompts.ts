import { streamSampleBlocks } from "../db";
import type { ScoredRun } from "./score-run";

/**
 * A scored run's prompt texts and dataset rows, whether it holds them or not. The CLI scores a
 * run with them; the web server does not keep them (a million prompts are ~280 MB of strings)
 * and reads them from the run's stored blocks, a block at a time, when an export needs them.
 */

/** Whether the scored run holds every prompt's text and dataset row. */
function holdsPrompts(scored: ScoredRun): boolean {
  return scored.prompts.length === scored.exclusion.length && scored.datasetRows.length === scored.exclusion.length;
}

/** [ordinal, text] of each prompt `want` accepts, in ordinal order. */
export async function* promptTextsWhere(scored: ScoredRun, want: (ordinal: number) => boolean): AsyncGenerator<[number, string]> {
  if (holdsPrompts(scored)) {
    for (let i = 0; i < scored.prompts.length; i++) if (want(i)) yield [i, scored.prompts[i]];
    return;
  }
  for await (const block of streamSampleBlocks(scored.run.id)) {
    for (let j = 0; j < block.prompts.length; j++) if (want(block.firstOrdinal + j)) yield [block.firstOrdinal + j, block.prompts[j]];
  }
}

/** Each prompt's dataset row (its first), -1 for none, by ordinal. */
export async function promptDatasetRows(scored: ScoredRun): Promise<Int32Array> {
  const out = new Int32Array(scored.exclusion.length).fill(-1);
  if (holdsPrompts(scored)) {
    scored.datasetRows.forEach((r, i) => r !== null && (out[i] = r));
    return out;
  }
  for await (const block of streamSampleBlocks(scored.run.id)) {
    block.datasetRowIndexes.forEach((r, j) => r !== null && (out[block.firstOrdinal + j] = r));
  }
  return out;
}
