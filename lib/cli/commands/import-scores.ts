import { importScores } from "../../ingest/import-scores";
import type { Command } from "../command";
import { parseFlags, runNameFlag, stringFlag } from "../flags";
import { UsageError } from "../errors";

export const importScoresCommand: Command = {
  name: "import-scores",
  usage: "lim import-scores <file> --dataset <file> --name <run> [--prompt-field F] [--replace]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      { dataset: { type: "string" }, name: { type: "string" }, "prompt-field": { type: "string" }, replace: { type: "boolean" } },
      ["file"],
    );
    if (help) return void process.stdout.write(`${this.usage}\nMakes a run from precomputed [{prompt, score}] joined with the original dataset.\n`);
    const name = runNameFlag(values);
    const dataset = stringFlag(values, "dataset");
    if (!dataset) throw new UsageError("--dataset is required");
    const run = await importScores({
      file: positional.file,
      name,
      dataset,
      promptField: stringFlag(values, "prompt-field") ?? "prompt",
      replace: values.replace === true,
      onMessage: (m) => process.stderr.write(m + "\n"),
    });
    process.stderr.write(`Created run "${run.name}" with ${run.sampleCount.toLocaleString("en-US")} prompts.\n`);
  },
};
