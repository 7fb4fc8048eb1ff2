/**
 * Which files of a browser upload are reward logs and which one may be the dataset, for each
 * log format. Mirrors lib/ingest/formats/detect-format.ts's layouts: the server writes the logs into
 * one folder and ingest reads (or recognises) them there.
 */

export const UPLOAD_FORMATS = ["auto", "openrlhf", "verl", "trl", "nemo-rl", "jsonl", "csv"] as const;
export type UploadFormat = (typeof UPLOAD_FORMATS)[number];

/** Step-file names of the trainers' layouts. */
const TRAINER_FILES: Record<Exclude<UploadFormat, "auto" | "jsonl" | "csv">, RegExp> = {
  openrlhf: /^step_\d+\.json$/,
  verl: /^\d+\.jsonl$/,
  trl: /^completions_\d+\.parquet$/,
  "nemo-rl": /^train_data_step\d+\.jsonl$/,
};

/** Extensions a dataset may have (its format follows the extension). */
export const DATASET_EXTENSIONS = [".json", ".jsonl", ".csv", ".parquet"] as const;

const base = (p: string) => p.split(/[\\/]/).pop() ?? "";
const ext = (p: string) => {
  const b = base(p).toLowerCase();
  const dot = b.lastIndexOf(".");
  return dot < 0 ? "" : b.slice(dot);
};

export function isDatasetFile(name: string): boolean {
  return (DATASET_EXTENSIONS as readonly string[]).includes(ext(name));
}

/** Whether a file name is a reward log of this format (auto: of any format ingest recognises). */
export function isLogFile(name: string, format: UploadFormat = "auto"): boolean {
  const b = base(name);
  if (format === "jsonl" || format === "csv") return ext(b) === `.${format}`;
  if (format !== "auto") return TRAINER_FILES[format].test(b);
  return Object.values(TRAINER_FILES).some((re) => re.test(b)) || ext(b) === ".jsonl" || ext(b) === ".csv";
}

/**
 * Splits picked files (paths inside a dropped folder) into logs and a dataset candidate. A
 * trainer's step files are the logs and a single other data file beside them is taken as the
 * dataset; plain .jsonl or .csv logs (format jsonl/csv, or auto with no trainer layout) take
 * every file of their extension, so their dataset is chosen on its own.
 */
export function splitUpload(paths: readonly string[], format: UploadFormat): { logs: number[]; dataset: number | null } {
  const idx = paths.map((_, i) => i);
  let logs: number[];
  if (format === "auto") {
    const trainer = idx.filter((i) => Object.values(TRAINER_FILES).some((re) => re.test(base(paths[i]))));
    if (trainer.length > 0) logs = trainer;
    else {
      const jsonl = idx.filter((i) => ext(paths[i]) === ".jsonl");
      const csv = idx.filter((i) => ext(paths[i]) === ".csv");
      logs = jsonl.length ? jsonl : csv;
      return { logs, dataset: null };
    }
  } else {
    logs = idx.filter((i) => isLogFile(paths[i], format));
    if (format === "jsonl" || format === "csv") return { logs, dataset: null };
  }
  const taken = new Set(logs);
  const others = idx.filter((i) => !taken.has(i) && isDatasetFile(paths[i]));
  return { logs, dataset: others.length === 1 ? others[0] : null };
}

/** What the picked logs are called: "3 step files", "1 JSONL log file". */
export function logFilesLabel(format: UploadFormat, n: number): string {
  const what = format === "jsonl" ? "JSONL log file" : format === "csv" ? "CSV log file" : "step file";
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}
