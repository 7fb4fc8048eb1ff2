import { statSync } from "node:fs";
import type { RunRecord } from "../../db/types";
import { IngestError } from "../errors";
import type { IngestOptions } from "../ingest-options";
import { checkJoinOptions } from "../dataset/join-dataset";

/** What `lim ingest <dir> --watch` takes: ingest's options, and how to follow the directory. */
export interface WatchOptions extends IngestOptions {
  /** Aborted (Ctrl-C): the append under way finishes, the run stops being live, watchRun returns it. */
  signal: AbortSignal;
  /** How often the directory is looked at (default 1000 ms). */
  pollMs?: number;
  /** How long a step file's size and mtime must stay unchanged before it is read (default 2000 ms). */
  settleMs?: number;
  /** After each commit: the run as stored and the steps it just took in. */
  onAppend?: (run: RunRecord, steps: number[]) => void;
}

/**
 * The formats a watch can follow: one file per training step, named with the step, so a new
 * file is a new step. How each names its files, for messages.
 */
export const WATCH_FILE_NAMES: Record<string, string> = { openrlhf: "step_N.json", verl: "N.jsonl", trl: "completions_NNNNN.parquet", "nemo-rl": "train_data_stepN.jsonl" };

export function checkWatchOptions(o: WatchOptions, format: string): void {
  if (!(format in WATCH_FILE_NAMES)) {
    throw new IngestError(`--watch follows logs written one file per step (${Object.keys(WATCH_FILE_NAMES).join(", ")}); ${format} logs take their steps from the rows, so a new file is not a new step`);
  }
  if (o.stepsPerEpoch !== undefined && !(Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch >= 1)) throw new IngestError(`steps per epoch must be an integer >= 1, got ${o.stepsPerEpoch}`);
  if (o.keepExamples !== undefined && !(Number.isInteger(o.keepExamples) && o.keepExamples >= 0)) throw new IngestError(`keep-examples must be an integer >= 0, got ${o.keepExamples}`);
  if (o.successReward !== undefined && !Number.isFinite(o.successReward)) throw new IngestError(`success reward must be a finite number, got ${o.successReward}`);
  checkJoinOptions(o);
  if (o.dataset && !isFile(o.dataset.file)) throw new IngestError(`${o.dataset.file}: dataset file not found`, o.dataset.file);
  let dir = false;
  try {
    dir = statSync(o.path).isDirectory();
  } catch {
    throw new IngestError(`${o.path}: no such directory to watch`, o.path);
  }
  if (!dir) throw new IngestError(`${o.path}: --watch follows a directory of step files, not a file`, o.path);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
