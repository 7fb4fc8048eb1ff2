import type { StepBlock } from "../lim/run-columns";

/**
 * What the database holds, as the rest of the product sees it. lib/db implements these
 * shapes over Prisma; nothing outside lib/db imports the generated client.
 */

export type RunKind = "rollouts" | "scores";

/** A run as listed and as scoring needs it. Only fully written runs are ever returned. */
export interface RunRecord {
  id: number;
  name: string;
  /** Reader that produced it: "openrlhf", "verl", ..., or "scores" for imported scores. */
  format: string;
  kind: RunKind;
  /** Path (or upload label) the run was read from. */
  source: string;
  stepsPerEpoch: number;
  successReward: number;
  promptField: string;
  keepExamples: number;
  sampleCount: number;
  rolloutCount: number;
  /** Distinct step numbers seen, first and last step number. */
  stepCount: number;
  firstStep: number;
  lastStep: number;
  bytesRead: number;
  datasetFile: string | null;
  datasetRowCount: number;
  /** Log prompts with no dataset row, and dataset rows whose prompt the log never saw. */
  unmatchedPrompts: number;
  unseenDatasetRows: number;
  /** Warnings from ingest (gaps in step numbers, ...), shown with the run. */
  warnings: string[];
  /** What ingest decided for the user (inferred epoch length, how prompts matched the dataset, ...). */
  notes: string[];
  /** How a rollout's success is decided (see SuccessRule). */
  successRule: SuccessRule;
  /** How epochs are counted: by steps per epoch (the reference) or by each prompt's k-th visit. */
  epochMode: EpochMode;
  /** Log field holding a stable prompt id when prompts are identified by id; null: by trimmed text. */
  idField: string | null;
  /** The joined dataset's file format, when there is one. */
  datasetFormat: DatasetFormat | null;
  /** A Parquet dataset's schema as JSON, so a Parquet export keeps the dataset's own types. */
  datasetSchema: string | null;
  /** True while `lim ingest --watch` is appending to the run. */
  live: boolean;
  createdAt: Date;
  /** When rows were last added (after createdAt only for a watched run). */
  updatedAt: Date;
  /** Counts at the run's own parameters, stored after each write; null until computed. */
  counts: RunCounts | null;
}

export type EpochMode = "steps" | "visits";
/**
 * "equals": reward == the success reward (the reference, OpenRLHF); "at-least": reward >= it
 * (verl without acc, TRL, NeMo-RL, generic logs); "logged": the log says per rollout (verl's
 * acc, --success-field), so the success reward cannot be changed when scoring.
 */
export type SuccessRule = "equals" | "at-least" | "logged";
export type DatasetFormat = "json" | "jsonl" | "csv" | "parquet";

export type NewRun = Omit<RunRecord, "id" | "createdAt" | "updatedAt" | "counts">;

/** One prompt of a run: its text (trimmed, the key). Its per-step aggregates are in the run's step blocks. */
/** One stored block of a run's prompts: ordinals firstOrdinal, firstOrdinal + 1, ... */
export interface SampleBlockRecords {
  firstOrdinal: number;
  prompts: string[];
  datasetRowIndexes: (number | null)[];
}

export interface SampleRecord {
  /** 0-based order of first appearance in the log (or in the scores file). */
  ordinal: number;
  prompt: string;
  /** Imported runs only: the published score. */
  publishedScore: number | null;
  /** rowIndex of the first dataset row with this prompt, when a dataset was joined. */
  datasetRowIndex: number | null;
}

/** An original dataset row, kept as its source text (minified) so export writes it unchanged. */
export interface DatasetRowRecord {
  rowIndex: number;
  /** Trimmed prompt text, the join key. */
  prompt: string;
  json: string;
}

/** A kept example rollout: the "why" behind a prompt's curve. */
export interface ExampleRecord {
  sampleOrdinal: number;
  step: number;
  epoch: number;
  reward: number;
  success: boolean;
  responseLength: number;
  response: string;
}

/**
 * An example to store: its response as text, or already as a JSON string literal (the log's
 * own spelling, checked by the reader), which is stored as it is: a kept response is then
 * never decoded and encoded again at ingest.
 */
export type NewExample = Omit<ExampleRecord, "response"> & ({ response: string; responseJson?: undefined } | { responseJson: string; response?: undefined });

/**
 * Examples to store, as columns (what ingest's example picker hands over): one entry per
 * index below `length`; `json` holds each response as a JSON string literal in UTF-8, back to
 * back, the i-th ending at jsonEnd[i]. Stored as they are, like NewExample.responseJson.
 */
export interface ExampleColumns {
  length: number;
  sampleOrdinal: ArrayLike<number>;
  step: ArrayLike<number>;
  epoch: ArrayLike<number>;
  reward: ArrayLike<number>;
  /** 1 for a success, 0 otherwise. */
  success: ArrayLike<number>;
  responseLength: ArrayLike<number>;
  json: Uint8Array;
  jsonEnd: ArrayLike<number>;
}

/**
 * Writes one run inside a single transaction: a failure or a kill leaves nothing behind
 * and nothing already stored is touched. Samples may be added in any number of calls.
 */
export interface RunWriter {
  addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void>;
  addSamples(samples: readonly SampleRecord[]): Promise<void>;
  /** One block per step, in step order, after any the run already has. */
  addStepBlocks(blocks: readonly StepBlock[]): Promise<void>;
  /** Buffered per bucket of prompts and written in compressed blocks (at the latest by flushExamples). */
  addExamples(examples: readonly NewExample[]): Promise<void>;
  /** The same, as columns; the writer copies what it keeps, so the caller may reuse them once it resolves. */
  addExampleColumns(examples: ExampleColumns): Promise<void>;
  /** Writes every buffered example now (an epoch ended: its picks are final). */
  flushExamples(): Promise<void>;
}

/** The counts at a run's own parameters that the runs list shows (stored, never scored for a list). */
export interface RunCounts {
  scored: number;
  excluded: number;
  /** Epochs scored at the run's own parameters (by its own epoch rule). */
  epochs: number;
}

/** The counts of a run before anything is read: a new run's header starts from these. */
export const EMPTY_RUN_COUNTS = {
  sampleCount: 0,
  rolloutCount: 0,
  stepCount: 0,
  firstStep: 0,
  lastStep: 0,
  bytesRead: 0,
  datasetRowCount: 0,
  unmatchedPrompts: 0,
  unseenDatasetRows: 0,
} as const satisfies Partial<NewRun>;

/** The header fields a run starts from unless its reader says otherwise. */
export const DEFAULT_RUN_OPTIONS = {
  notes: [] as string[],
  successRule: "equals" as SuccessRule,
  epochMode: "steps" as EpochMode,
  idField: null as string | null,
  datasetFormat: null as DatasetFormat | null,
  datasetSchema: null as string | null,
  live: false,
} satisfies Partial<NewRun>;
