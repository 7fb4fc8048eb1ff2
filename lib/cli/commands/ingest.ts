import { detectFormat, LOG_FORMATS } from "../../ingest/formats/detect-format";
import { ingestRun, type IngestOptions } from "../../ingest/ingest-run";
import type { LogFields } from "../../ingest/formats/log-fields";
import { progressReporter } from "../../ingest/progress";
import { writtenRunWarnings } from "../../runs/run-methods";
import type { Command } from "../command";
import { intFlag, numberFlag, parseFlags, runNameFlag, stringFlag } from "../flags";
import { UsageError } from "../errors";
import { followRun } from "./ingest-watch";

/** Formats whose logs name their fields freely: --prompt-field names the log's prompt there. */
const LOG_PROMPT_FORMATS = ["jsonl", "csv", "nemo-rl"];
/** The formats each log-field flag applies to (the others fix that field by their layout). */
const FIELD_FORMATS: Record<string, string[]> = {
  "step-field": ["jsonl", "csv"],
  "reward-field": ["jsonl", "csv", "trl", "nemo-rl"],
  "response-field": ["jsonl", "csv", "nemo-rl"],
};

const HELP = `Reads a run's reward logs into a new run.

Formats (--format, default auto: recognised from the file names):
  openrlhf  step_N.json files (the folder, or its parent holding train/)
  verl      {global_step}.jsonl rollout dumps (trainer.rollout_data_dir); success from acc when logged
  trl       GRPOTrainer log_completions: completions/completions_NNNNN.parquet (the run's output_dir
            or its completions/); reward: the one reward column, or the sum of several
  nemo-rl   train_data_stepN.jsonl (NeMo-RL's log dir); prompt: the turns before the response
  jsonl     one JSON object per rollout, one file or a folder of .jsonl files
  csv       one row per rollout with a header row, one file or a folder of .csv files

Log fields (a name or a dotted path, e.g. extra_info.index):
  --prompt-field F     jsonl, csv, nemo-rl: the log's prompt (default prompt; nemo-rl: content turns).
                       openrlhf, verl, trl: the dataset's prompt field (as --dataset-prompt-field)
  --id-field F         identify prompts by this stable id instead of their text (any format)
  --step-field F       jsonl, csv: the training step (default step, integers from 1)
  --reward-field F     jsonl, csv, nemo-rl: the scalar reward (default reward; nemo-rl rewards);
                       trl: a reward function's column, or "sum" of them all
  --success-field F    true/false or 1/0 per rollout; default: reward >= the success reward
                       (openrlhf: reward == the success reward; verl: acc when logged)
  --response-field F   jsonl, csv, nemo-rl: the response text (default response if present)

Dataset (its rows are what lim export writes):
  --dataset F                  JSON array, JSONL, CSV or Parquet
  --dataset-prompt-field F     the row's prompt (default: --prompt-field, else prompt)
  --dataset-id-field F         the row's id, matched with --id-field (default: the --id-field name,
                               else extra_info.index, whichever the first row holds)
  --prompt-template T          the text around the question in logged prompts, "{prompt}" where it goes

Follow a run while it trains: --watch keeps reading new step files as the trainer writes them
(a file still being written is read once it is complete) and appends them to the run; the run
page shows new epochs as they arrive. Ctrl-C stops, keeping everything read. Needs --format
when the folder has no step files yet. --settle-seconds S (default 2): how long a file must
stay unchanged before it is read; raise it for a trainer that pauses while writing JSONL.

Epochs: --steps-per-epoch N (default: inferred), --epochs steps|visits (steps: by steps per
epoch, the reference; visits: a prompt's k-th epoch is its k-th visit).
`;

export const ingestCommand: Command = {
  name: "ingest",
  usage:
    "lim ingest <path> --name <run> [--format auto|openrlhf|verl|trl|nemo-rl|jsonl|csv] [--steps-per-epoch N] [--epochs steps|visits] " +
    "[--prompt-field F] [--id-field F] [--step-field F] [--reward-field F] [--success-field F] [--response-field F] " +
    "[--dataset F] [--dataset-prompt-field F] [--dataset-id-field F] [--prompt-template T] [--success-reward R] [--keep-examples K] [--replace] [--watch [--settle-seconds S]]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      {
        name: { type: "string" },
        format: { type: "string" },
        "steps-per-epoch": { type: "string" },
        epochs: { type: "string" },
        dataset: { type: "string" },
        "prompt-field": { type: "string" },
        "id-field": { type: "string" },
        "step-field": { type: "string" },
        "reward-field": { type: "string" },
        "success-field": { type: "string" },
        "response-field": { type: "string" },
        "dataset-prompt-field": { type: "string" },
        "dataset-id-field": { type: "string" },
        "prompt-template": { type: "string" },
        "success-reward": { type: "string" },
        "keep-examples": { type: "string" },
        replace: { type: "boolean" },
        watch: { type: "boolean" },
        "settle-seconds": { type: "string" },
      },
      ["path"],
    );
    if (help) return void process.stdout.write(`${this.usage}\n\n${HELP}`);
    const name = runNameFlag(values);
    let format = stringFlag(values, "format") ?? "auto";
    if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${LOG_FORMATS.join(", ")}, got "${format}"`);
    const progress = progressReporter(process.stderr);
    // Resolved here, not in ingestRun: what --prompt-field means depends on the format.
    if (format === "auto") {
      const detected = detectFormatOrWatchHint(positional.path, values.watch === true);
      format = detected.format;
      progress.message(`format: ${format} (${detected.reason}); set it with --format`);
    }
    for (const [flag, formats] of Object.entries(FIELD_FORMATS)) {
      if (values[flag] !== undefined && !formats.includes(format)) throw new UsageError(`--${flag} applies to --format ${formats.join("|")}; ${format} logs fix that field`);
    }
    const promptField = stringFlag(values, "prompt-field");
    const logPrompt = LOG_PROMPT_FORMATS.includes(format);
    const fields: LogFields = {
      prompt: logPrompt ? promptField : undefined,
      id: stringFlag(values, "id-field"),
      step: stringFlag(values, "step-field"),
      reward: stringFlag(values, "reward-field"),
      success: stringFlag(values, "success-field"),
      response: stringFlag(values, "response-field"),
    };
    const dataset = stringFlag(values, "dataset");
    for (const flag of ["dataset-prompt-field", "dataset-id-field"]) {
      if (values[flag] !== undefined && !dataset) throw new UsageError(`--${flag} needs --dataset`);
    }
    const template = stringFlag(values, "prompt-template");
    if (template !== undefined && !template.includes("{prompt}")) throw new UsageError(`--prompt-template must contain "{prompt}" where the question goes, got "${template}"`);
    const epochs = stringFlag(values, "epochs");
    if (epochs !== undefined && epochs !== "steps" && epochs !== "visits") throw new UsageError(`--epochs must be steps or visits, got "${epochs}"`);
    const opts: IngestOptions = {
      path: positional.path,
      name,
      format,
      stepsPerEpoch: intFlag(values, "steps-per-epoch", 1),
      successReward: numberFlag(values, "success-reward") ?? 1,
      keepExamples: intFlag(values, "keep-examples", 0) ?? 2,
      fields: Object.values(fields).some((v) => v !== undefined) ? fields : undefined,
      dataset: dataset
        ? { file: dataset, promptField: stringFlag(values, "dataset-prompt-field") ?? promptField ?? "prompt", idField: stringFlag(values, "dataset-id-field") }
        : undefined,
      promptTemplate: template,
      epochMode: epochs,
      replace: values.replace === true,
      onProgress: (p) => progress.update(p),
      onMessage: (m: string) => progress.message(m),
    };
    const settle = numberFlag(values, "settle-seconds");
    if (settle !== undefined && (values.watch !== true || !(settle > 0))) throw new UsageError("--settle-seconds applies to --watch and must be a number of seconds > 0");
    if (values.watch === true) {
      const watch = { ...opts, settleMs: settle === undefined ? undefined : settle * 1000 };
      const followed = await followRun(watch, (m) => progress.message(m)).finally(() => progress.done());
      // Said once the run stops growing: while it trains, "one epoch" is only "not yet".
      return printRunWarnings(followed.name);
    }
    const run = await ingestRun(opts).finally(() => progress.done());
    process.stderr.write(
      `Created run "${run.name}": ${run.sampleCount.toLocaleString("en-US")} prompts, ${run.rolloutCount.toLocaleString("en-US")} rollouts, ` +
        `${run.stepCount} steps (${run.stepsPerEpoch} per epoch).\n`,
    );
    await printRunWarnings(run.name);
  },
};

/** What the stored log cannot support (lib/methods/warnings.ts), one `warning:` line each on stderr. */
async function printRunWarnings(name: string): Promise<void> {
  for (const w of await writtenRunWarnings(name)) process.stderr.write(`warning: ${w}\n`);
}

/** detectFormat, with the flag to pass when a watched folder has no step files yet. */
function detectFormatOrWatchHint(path: string, watch: boolean): ReturnType<typeof detectFormat> {
  try {
    return detectFormat(path);
  } catch (e) {
    if (watch) throw new UsageError(`--watch on a folder with no step files yet needs --format (${(e as Error).message})`);
    throw e;
  }
}
