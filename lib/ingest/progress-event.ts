/**
 * What ingest reports while it runs. Plain data, so the CLI's stderr bar (progress.ts) and
 * the web upload page render the same events.
 */
export interface IngestProgress {
  /** dataset: reading the dataset file; infer: a first pass to infer steps per epoch; read: the log; write: storing samples. */
  phase: "dataset" | "infer" | "read" | "write";
  filesDone: number;
  filesTotal: number;
  /** Bytes of the current phase's input read so far (dataset or log). */
  bytesDone: number;
  bytesTotal: number;
  rollouts: number;
  /** Since ingest started. */
  elapsedMs: number;
}
