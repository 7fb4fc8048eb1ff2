import type { DatasetFormat, EpochMode } from "../db/types";
import type { LogFields } from "./formats/log-fields";
import type { IngestProgress } from "./progress-event";

export interface IngestOptions {
  /** Directory of step files (or its parent holding train/). */
  path: string;
  name: string;
  format?: string;
  /** When absent: inferred (distinct prompts / median prompts per step), with a message. */
  stepsPerEpoch?: number;
  successReward?: number;
  /** Examples kept per prompt and epoch (default 2: a success and a failure where both exist). */
  keepExamples?: number;
  /**
   * The training set the prompts came from. `promptField` / `idField`: where a row keeps its
   * prompt text / its stable id (dotted paths; a verl dataset's prompt is a list of chat
   * messages, matched on the user message's content). `format` defaults to the file's extension.
   */
  dataset?: { file: string; promptField?: string; idField?: string; format?: DatasetFormat };
  /** Log field names (generic formats) and the id / success fields of any format. */
  fields?: LogFields;
  /**
   * The text around the question in a logged prompt, with "{prompt}" where the question goes
   * (a chat template). Absent: learned from the log and the dataset when exact text fails.
   */
  promptTemplate?: string;
  /** How epochs are counted when the run is scored (default "steps", the reference). */
  epochMode?: EpochMode;
  replace?: boolean;
  /** Shown with the run instead of the resolved path (an upload's file name, say). */
  source?: string;
  /** Scanning threads (0 scans on this thread; default: see defaultWorkers). */
  workers?: number;
  onProgress?: (p: IngestProgress) => void;
  onMessage?: (msg: string) => void;
}
