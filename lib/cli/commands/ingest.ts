import { ingestRun } from "../../ingest/ingest-run";
import { progressReporter } from "../../ingest/progress";
import type { Command } from "../command";
import { intFlag, numberFlag, parseFlags, runNameFlag, stringFlag } from "../flags";
import { UsageError } from "../errors";

const FORMATS = ["openrlhf", "verl"];

export const ingestCommand: Command = {
  name: "ingest",
  usage:
    "lim ingest <path> --name <run> [--format openrlhf|verl] [--steps-per-epoch N] [--dataset F] [--prompt-field F] [--success-reward R] [--keep-examples K] [--replace]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      {
        name: { type: "string" },
        format: { type: "string" },
        "steps-per-epoch": { type: "string" },
        dataset: { type: "string" },
        "prompt-field": { type: "string" },
        "success-reward": { type: "string" },
        "keep-examples": { type: "string" },
        replace: { type: "boolean" },
      },
      ["path"],
    );
    if (help) return void process.stdout.write(`${this.usage}\nReads a run's reward logs into a new run: OpenRLHF step_N.json files (or their parent holding train/), or verl {global_step}.jsonl rollout dumps (--format verl).\n`);
    const name = runNameFlag(values);
    const format = stringFlag(values, "format") ?? "openrlhf";
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
    const dataset = stringFlag(values, "dataset");
    const progress = progressReporter(process.stderr);
    const run = await ingestRun({
      path: positional.path,
      name,
      format,
      stepsPerEpoch: intFlag(values, "steps-per-epoch", 1),
      successReward: numberFlag(values, "success-reward") ?? 1,
      keepExamples: intFlag(values, "keep-examples", 0) ?? 2,
      dataset: dataset ? { file: dataset, promptField: stringFlag(values, "prompt-field") ?? "prompt" } : undefined,
      replace: values.replace === true,
      onProgress: (p) => progress.update(p),
      onMessage: (m: string) => progress.message(m),
    }).finally(() => progress.done());
    process.stderr.write(
      `Created run "${run.name}": ${run.sampleCount.toLocaleString("en-US")} prompts, ${run.rolloutCount.toLocaleString("en-US")} rollouts, ` +
        `${run.stepCount} steps (${run.stepsPerEpoch} per epoch).\n`,
    );
  },
};
