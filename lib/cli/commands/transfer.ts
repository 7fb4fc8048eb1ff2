import { exportFile } from "../../export/export-file";
import { buildTransferManifest } from "../../export/manifest-transfer";
import { writeManifest } from "../../export/manifest";
import { describeRule } from "../../methods/select";
import { selectRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import { runSelectionSource, transferTo } from "../../runs/transfer";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EXPORT_HELP, EXPORT_OPTIONS, exportOutput } from "../export-flags";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { int } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const transferCommand: Command = {
  name: "transfer",
  usage:
    "lim transfer <from-run> --to <run> [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--format jsonl|json|parquet] [--out FILE|-] [--with-scores] [--manifest]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, ...METHOD_OPTIONS, ...REGION_OPTION, ...EXPORT_OPTIONS, to: { type: "string" } }, ["from"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nThe selection made on <from-run> applied to <run>'s dataset: <run>'s rows of the prompts <from-run> selects\n` +
          "(joined by dataset id when both runs are identified by id, else by prompt text), written as `lim export <run>` writes rows.\n" +
          "The method, rule and scoring flags apply to <from-run>.\n" +
          "  --to RUN    the run whose dataset rows are written\n" +
          "  --with-scores  adds <from-run>'s score of each row's prompt as <method>_score\n" +
          EXPORT_HELP +
          METHODS_HELP +
          EPOCHS_HELP,
      );
    }
    const to = stringFlag(values, "to");
    if (to === undefined) throw new UsageError("--to RUN is required: the run whose dataset rows are written");
    const choice = methodChoice(values);
    const { out, format, manifest, withScores } = exportOutput(values);

    const from = await scoreRun(positional.from, scoreOverrides(values));
    const target = await scoreRun(to);
    const method = selectRun(from, choice);
    const t = await transferTo(target, await runSelectionSource(from, method, target));
    const name = target.run.name;
    process.stderr.write(
      `${name} has ${int(t.found)} of the ${int(t.wanted)} prompts ${from.run.name} selects` +
        `${t.missing ? `; ${int(t.missing)} ${t.missing === 1 ? "is" : "are"} not in its dataset` : ""} (joined by ${t.key === "id" ? "dataset id" : "prompt text"}).\n`,
    );
    const threshold = choice.limThreshold!;
    const result = await exportFile(target, { format, threshold, withScores, selection: t.selection, out: out === "-" ? process.stdout : out });
    const where = out === "-" ? "" : ` to ${out}`;
    process.stderr.write(`Exported ${int(result.rows)} rows as ${format} of run "${name}" (${method.method}, ${describeRule(method.rule)} on "${from.run.name}")${where}.\n`);
    if (manifest) {
      const file = await writeManifest(out, buildTransferManifest(from, target, method, t, { format, threshold, withScores, file: out, result }));
      process.stderr.write(`Manifest: ${file} (sha256 ${result.sha256}).\n`);
    }
  },
};
