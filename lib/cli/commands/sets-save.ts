import { describeRule } from "../../methods/select";
import { saveSet, setNameProblem } from "../../sets";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { exportFormatFlag } from "../format-flag";
import { int } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const setsSave: Command = {
  name: "save",
  usage:
    "lim sets save <run> --name S [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--format jsonl|json|parquet] [--with-scores] [--note TEXT] [--replace]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      { ...SCORE_OPTIONS, ...METHOD_OPTIONS, ...REGION_OPTION, name: { type: "string" }, format: { type: "string", short: "f" }, "with-scores": { type: "boolean" }, note: { type: "string" }, replace: { type: "boolean" } },
      ["run"],
    );
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nSaves the selection lim export would write for these flags as a set: its bytes in every format, the run's provenance, the rows.\n` +
          "  --format    the format `lim sets export` writes by default (jsonl unless given); every format is kept\n" +
          "  --replace   overwrite a set of the same name\n" +
          METHODS_HELP +
          EPOCHS_HELP,
      );
    }
    const name = stringFlag(values, "name");
    if (name === undefined) throw new UsageError("--name is required: the set's name");
    const problem = setNameProblem(name);
    if (problem) throw new UsageError(`--name: ${problem}`);
    const choice = methodChoice(values);
    const format = exportFormatFlag(values) ?? "jsonl";
    const note = values.note === undefined ? null : String(values.note);
    const set = await saveSet({ name, run: positional.run, choice, overrides: scoreOverrides(values), format, withScores: values["with-scores"] === true, note, replace: values.replace === true });
    const sha = set.files.find((f) => f.format === set.format)!.sha256;
    process.stderr.write(`Saved set "${set.name}": ${int(set.counts.rows)} rows of run "${set.run.name}" (${set.method}, ${describeRule(set.rule)}), ${set.format} sha256 ${sha}.\n`);
  },
};
