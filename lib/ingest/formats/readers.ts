import { IngestError } from "../errors";
import { listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { readOpenRlhfSteps, type ReadStepsOptions } from "./read-openrlhf";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { listGenericFiles, readGenericSteps, readOpenRlhfRecordSteps } from "./read-generic";
import { listNemoRlFiles, readNemoRlSteps } from "./read-nemo-rl";
import { listTrlFiles, readTrlSteps } from "./read-trl";
import { listVerlFiles, readVerlSteps } from "./read-verl";

/**
 * A log format: where its step files are, and how to turn them into StepBatches in step
 * order (built with StepBatchBuilder or batchFromRecords, handed over packed: packStepBatch).
 * Every format feeds the same ingest; a new one adds an entry here (and a layout in
 * detect-format.ts for --format auto).
 */
export interface FormatReader {
  /**
   * How the format decides success from a reward when the log does not say per rollout:
   * "equals" (OpenRLHF, the reference) or "at-least" (verl without acc, TRL, NeMo-RL, generic
   * files). A run whose rollouts carry a logged success (verl's acc, --success-field) is
   * stored "logged" instead (see StepBatch.successField).
   */
  successRule: "equals" | "at-least";
  locate(path: string): StepFileListing;
  read(files: readonly StepFile[], o: ReadStepsOptions): AsyncIterable<PackedStepBatch>;
  /** True when read() scans in worker threads (ReadStepsOptions.pool); record readers parse on this thread. */
  scansInWorkers?(o: Pick<ReadStepsOptions, "fields">): boolean;
}

/** OpenRLHF through the byte scanner, or record by record when the user names an id or success field. */
const byRecords = (o: Pick<ReadStepsOptions, "fields">) => Boolean(o.fields?.id || o.fields?.success);
function readOpenRlhf(files: readonly StepFile[], o: ReadStepsOptions): AsyncIterable<PackedStepBatch> {
  return byRecords(o) ? readOpenRlhfRecordSteps(files, o) : readOpenRlhfSteps(files, o);
}

export const READERS: Record<string, FormatReader> = {
  openrlhf: { successRule: "equals", locate: (p) => listStepFiles(p), read: readOpenRlhf, scansInWorkers: (o) => !byRecords(o) },
  verl: { successRule: "at-least", locate: listVerlFiles, read: readVerlSteps },
  trl: { successRule: "at-least", locate: listTrlFiles, read: readTrlSteps },
  "nemo-rl": { successRule: "at-least", locate: listNemoRlFiles, read: readNemoRlSteps },
  jsonl: { successRule: "at-least", locate: (p) => listGenericFiles(p, "jsonl"), read: readGenericSteps("jsonl") },
  csv: { successRule: "at-least", locate: (p) => listGenericFiles(p, "csv"), read: readGenericSteps("csv") },
};

export function formatReader(format: string): FormatReader {
  const r = READERS[format];
  if (!r) throw new IngestError(`unknown log format "${format}" (known: auto, ${Object.keys(READERS).join(", ")})`);
  return r;
}
