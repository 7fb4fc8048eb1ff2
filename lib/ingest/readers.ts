import { IngestError } from "./errors";
import { listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { readOpenRlhfSteps, type ReadStepsOptions } from "./read-openrlhf";
import type { PackedStepBatch } from "./pack-step-batch";
import { listVerlFiles, readVerlSteps } from "./read-verl";

/**
 * A log format: where its step files are, and how to turn them into StepBatches in step
 * order (built with StepBatchBuilder or batchFromRecords, handed over packed: packStepBatch).
 * Every format feeds the same ingest; a new one (verl, TRL, ...) adds an entry here.
 */
export interface FormatReader {
  locate(path: string): StepFileListing;
  read(files: readonly StepFile[], o: ReadStepsOptions): AsyncIterable<PackedStepBatch>;
}

export const READERS: Record<string, FormatReader> = {
  openrlhf: { locate: (p) => listStepFiles(p), read: readOpenRlhfSteps },
  verl: { locate: listVerlFiles, read: readVerlSteps },
};

export function formatReader(format: string): FormatReader {
  const r = READERS[format];
  if (!r) throw new IngestError(`unknown log format "${format}" (known: ${Object.keys(READERS).join(", ")})`);
  return r;
}
