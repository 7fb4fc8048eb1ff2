import { exportFile } from "../../export/export-file";
import { buildTransferManifest } from "../../export/manifest-transfer";
import { writeManifest } from "../../export/manifest";
import { describeRule } from "../../methods/select";
import { selectRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import { runSelectionSource, transferTo, type Transfer } from "../../runs/transfer";
import { setTransferManifest, setTransferSource } from "../../sets";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EXPORT_HELP, EXPORT_OPTIONS, exportOutput } from "../export-flags";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { int } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const transferCommand: Command = {
  name: "transfer",
  usage:
    "lim transfer <from-run> | --set S --to <run> [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--format jsonl|json|parquet] [--out FILE|-] [--with-scores] [--manifest]",
  async run(args) {
    const fromSet = args.some((a) => a === "--set" || a.startsWith("--set="));
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, ...METHOD_OPTIONS, ...REGION_OPTION, ...EXPORT_OPTIONS, to: { type: "string" }, set: { type: "string" } }, fromSet ? [] : ["from"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nThe selection made on <from-run> applied to <run>'s dataset: <run>'s rows of the prompts <from-run> selects\n` +
          "(joined by dataset id when both runs are identified by id, else by prompt text), written as `lim export <run>` writes rows.\n" +
          "The method, rule and scoring flags apply to <from-run>.\n" +
          "  --to RUN    the run whose dataset rows are written\n" +
          "  --set S     instead of <from-run>: the prompts of saved set S (lim sets), whatever became of its run\n" +
          "  --with-scores  adds <from-run>'s score of each row's prompt as <method>_score\n" +
          EXPORT_HELP +
          METHODS_HELP +
          EPOCHS_HELP,
      );
    }
    const to = stringFlag(values, "to");
    if (to === undefined) throw new UsageError("--to RUN is required: the run whose dataset rows are written");
    const { out, format, manifest, withScores } = exportOutput(values);
    if (fromSet) return transferSet(stringFlag(values, "set")!, to, values, { out, format, manifest, withScores });
    const choice = methodChoice(values);

    const from = await scoreRun(positional.from, scoreOverrides(values));
    const target = await scoreRun(to);
    const method = selectRun(from, choice);
    const t = await transferTo(target, await runSelectionSource(from, method, target));
    const name = target.run.name;
    sayFound(name, t, `prompts ${from.run.name} selects`);
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

type Output = ReturnType<typeof exportOutput>;

function sayFound(name: string, t: Transfer, what: string): void {
  process.stderr.write(
    `${name} has ${int(t.found)} of the ${int(t.wanted)} ${what}` +
      `${t.missing ? `; ${int(t.missing)} ${t.missing === 1 ? "is" : "are"} not in its dataset` : ""} (joined by ${t.key === "id" ? "dataset id" : "prompt text"}).\n`,
  );
}

/** `--set S`: the set's prompts (its method, rule and parameters were fixed when it was saved). */
async function transferSet(name: string, to: string, values: Record<string, unknown>, o: Output): Promise<void> {
  const chosen = Object.keys({ ...SCORE_OPTIONS, ...METHOD_OPTIONS, ...REGION_OPTION }).filter((k) => values[k] !== undefined);
  if (o.withScores) chosen.push("with-scores");
  if (chosen.length) throw new UsageError(`--set takes the set's own selection: drop ${chosen.map((k) => `--${k}`).join(", ")} (lim sets show ${name} says what it was)`);
  const target = await scoreRun(to);
  const { set, source } = await setTransferSource(name, target);
  const t = await transferTo(target, source);
  sayFound(target.run.name, t, `prompts of set "${set.name}"`);
  const threshold = set.rule.kind === "threshold" ? set.rule.threshold : 0.6;
  const result = await exportFile(target, { format: o.format, threshold, withScores: false, selection: t.selection, out: o.out === "-" ? process.stdout : o.out });
  const where = o.out === "-" ? "" : ` to ${o.out}`;
  process.stderr.write(`Exported ${int(result.rows)} rows as ${o.format} of run "${target.run.name}" (the prompts of set "${set.name}")${where}.\n`);
  if (o.manifest) {
    const file = await writeManifest(o.out, await setTransferManifest(set, target, t, { format: o.format, threshold, withScores: false, file: o.out, result }));
    process.stderr.write(`Manifest: ${file} (sha256 ${result.sha256}).\n`);
  }
}
