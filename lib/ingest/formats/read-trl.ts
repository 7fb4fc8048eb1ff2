import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { promptText } from "./dataset-prompt";
import { IngestError } from "../errors";
import { describeValue } from "./field-path";
import { gapWarnings, listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { fieldError, idOf, mustBeNumber, numberOf, sayOnce, successOf, type LogFields, type RowAt } from "./log-fields";
import { refuseInvalidText, strictTextParsers } from "./parquet-text";
import { packStepBatch, type PackedStepBatch } from "../scan/pack-step-batch";
import type { ReadStepsOptions } from "./read-openrlhf";
import { examplesAt } from "./read-openrlhf";
import { batchFromRecords, type RolloutRecord } from "../scan/record";

/**
 * TRL's GRPOTrainer with `log_completions=True` writes, at every logged step,
 * OUTPUT_DIR/completions/completions_{global_step:05d}.parquet (GRPOTrainer.log, pandas
 * to_parquet): `step`, `prompt` (the prompt decoded without special tokens), `completion`, one
 * float column per reward function named after it (null where the function returned None),
 * any columns reward functions added with log_extra, and `advantage`. A file holds the last
 * generation batch before the log, not every batch since the previous one.
 */
const NAME = "completions_NNNNN.parquet";

export function listTrlFiles(path: string): StepFileListing {
  const listing = listStepFiles(path, { pattern: /^completions_(\d+)\.parquet$/, name: NAME, subdirs: ["completions", "train"] });
  const steps = listing.files.map((f) => f.step);
  const every = loggingInterval(steps);
  if (every > 1) {
    listing.warnings = gapWarnings(steps, NAME, every);
    listing.notes.push(sparseNote(every, steps));
  }
  return listing;
}

/**
 * TRL logs when global_step % logging_steps == 0, plus step 1 with logging_first_step and the
 * last step when training ends: the interval is the greatest common divisor of the other steps.
 */
export function loggingInterval(steps: readonly number[]): number {
  let s = steps.length > 2 && steps[0] === 1 && steps[1] > 2 ? steps.slice(1) : steps;
  if (s.length > 2) s = s.slice(0, -1);
  if (s.length < 2) return 1;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return s.reduce((g, x) => gcd(x, g), 0);
}

function sparseNote(every: number, steps: readonly number[]): string {
  const shown = steps.length > 4 ? `${steps.slice(0, 3).join(", ")}, ..., ${steps[steps.length - 1]}` : steps.join(", ");
  return (
    `TRL wrote completions every ${every} steps (logging_steps = ${every}): only steps ${shown} are in the log, each holding the one ` +
    `generation batch trained at that step; the ${every - 1} steps between logs are not read and are not reported missing. ` +
    `Steps per epoch counts trainer steps (global_step), so an epoch of S steps holds about S/${every} logged steps and a prompt ` +
    `is seen in an epoch only when its batch fell on a logged step: most prompts miss epochs and are excluded from scoring. ` +
    `Pass --steps-per-epoch in trainer steps (the inferred value assumes every step is logged); train with logging_steps=1 for a complete log.`
  );
}

/** Which columns make the reward: the named one, or the sum of every reward function's column. */
interface RewardChoice {
  columns: string[];
  label: string;
}

const NOT_REWARDS = new Set(["step", "advantage"]);

function chooseReward(file: string, numeric: string[], all: string[], fields: LogFields | undefined): RewardChoice {
  const rewards = numeric.filter((c) => !NOT_REWARDS.has(c));
  const want = fields?.reward;
  if (want && want !== "sum") {
    if (!all.includes(want)) throw new IngestError(`${file}: no column "${want}" (--reward-field); reward columns: ${rewards.join(", ") || "none"}, or "sum"`, file, undefined, undefined, want);
    return { columns: [want], label: want };
  }
  if (rewards.length === 0) throw new IngestError(`${file}: no reward column (a float column named after a reward function); columns: ${all.join(", ")}`, file);
  if (rewards.length === 1 && want !== "sum") return { columns: rewards, label: rewards[0] };
  return { columns: rewards, label: `sum of ${rewards.join(" + ")}` };
}

async function readTrlFile(f: StepFile, o: ReadStepsOptions, chosen: { reward?: RewardChoice }): Promise<{ records: RolloutRecord[]; unscored: number }> {
  const file = await asyncBufferFromFile(f.path);
  const text = strictTextParsers();
  let rows: Record<string, unknown>[];
  let all: string[];
  let numeric: string[];
  try {
    const metadata = await parquetMetadataAsync(file);
    const top = parquetSchema(metadata).children;
    all = top.map((c) => c.element.name);
    numeric = top.filter((c) => c.element.type === "DOUBLE" || c.element.type === "FLOAT").map((c) => c.element.name);
    rows = (await parquetReadObjects({ file, metadata, parsers: text.parsers })) as Record<string, unknown>[];
  } catch (e) {
    throw new IngestError(`${f.path}: not a readable Parquet file (${(e as Error).message})`, f.path);
  }
  if (text.sawInvalid()) refuseInvalidText(rows, f.path, 0, (i) => `row ${i + 1}`);
  for (const c of ["prompt", "completion"]) if (!all.includes(c)) throw new IngestError(`${f.path}: no "${c}" column (columns: ${all.join(", ")})`, f.path, undefined, undefined, c);
  const reward = (chosen.reward ??= chooseReward(f.path, numeric, all, o.fields));
  for (const c of reward.columns) if (!all.includes(c)) throw new IngestError(`${f.path}: no "${c}" column, which earlier files have (columns: ${all.join(", ")})`, f.path, undefined, undefined, c);
  const records: RolloutRecord[] = [];
  let unscored = 0;
  rows.forEach((row, i) => {
    const at: RowAt = { file: f.path, where: `${f.path}: row ${i + 1}`, index: i };
    const step = row.step === undefined || row.step === null ? f.step : numberOf(row.step);
    if (step !== f.step) throw fieldError(at, "step", `is ${describeValue(row.step)} but the file is step ${f.step}`);
    const prompt = promptText(row.prompt);
    if (prompt === null) throw fieldError(at, "prompt", `is ${describeValue(row.prompt)}, expected a string or a list of chat messages with a user message`);
    const completion = row.completion ?? "";
    if (typeof completion !== "string") throw fieldError(at, "completion", `is ${describeValue(completion)}, expected a string`);
    // A reward function returning None leaves null (NaN) in its column; TRL sums the others
    // (nansum) and, when none scored, leaves the completion out of its reward statistics.
    let value = 0;
    let scored = 0;
    for (const c of reward.columns) {
      const v = row[c];
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) continue;
      const n = numberOf(v);
      if (n === null) throw fieldError(at, c, mustBeNumber(v));
      value += n;
      scored++;
    }
    if (scored === 0) return void unscored++;
    // Success from the log only when --success-field names it; else the reader's rule (reward >= R).
    const success = successOf(row, o.fields, at);
    records.push({ prompt, id: idOf(row, o.fields, at), response: completion, reward: value, responseLength: completion.length, success });
  });
  return { records, unscored };
}

/** TRL completion files -> packed StepBatches in step order (one small file per logged step). */
export async function* readTrlSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  const chosen: { reward?: RewardChoice } = {};
  let unscored = 0;
  for (const f of files) {
    const r = await readTrlFile(f, o, chosen);
    unscored += r.unscored;
    if (chosen.reward && chosen.reward.columns.length > 1) {
      sayOnce(files, "reward", o.onMessage, `reward: the ${chosen.reward.label} (TRL's reward_weights are not in the log); choose one column with --reward-field ${chosen.reward.columns[0]}`);
    }
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "at-least" as const, successField: o.fields?.success, keepExamples: examplesAt(o, f.step), bytes: f.bytes };
    yield packStepBatch(batchFromRecords(r.records, opts));
  }
  if (unscored > 0) sayOnce(files, "unscored", o.onMessage, `${unscored.toLocaleString("en-US")} completions have no reward in ${chosen.reward!.label} (the reward function returned None) and were left out`);
}
