import { EXPORT_FORMATS, exportFile, isExportFormat } from "../../export/export-file";
import { buildManifest, writeManifest } from "../../export/manifest";
import { methodExportSelection } from "../../export/method-selection";
import { DEFAULT_THRESHOLD } from "../../lim/select";
import { describeRule } from "../../methods/select";
import { selectRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { int } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const exportCommand: Command = {
  name: "export",
  usage:
    "lim export <run> [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--format jsonl|json|parquet] [--out FILE|-] [--with-scores] [--manifest]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      {
        ...SCORE_OPTIONS,
        ...METHOD_OPTIONS,
        ...REGION_OPTION,
        out: { type: "string", short: "o" },
        format: { type: "string", short: "f" },
        "with-scores": { type: "boolean" },
        manifest: { type: "boolean" },
      },
      ["run"],
    );
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nWrites the selected prompts' original dataset rows (default threshold ${DEFAULT_THRESHOLD}, default output stdout).\n` +
          "  --format    jsonl (default: one row per line, unchanged), json (an array, as LIMR's prompts file),\n" +
          "              parquet (the dataset's own columns and types)\n" +
          "  --manifest  also write FILE.manifest.json: run, method, rule, parameters, counts, SHA-256, version, time (needs --out FILE)\n" +
          "  --with-scores  adds the method's score to each row as <method>_score (lim_score, pass_rate_score, ...;\n" +
          "              cartography: cartography_confidence and cartography_variability)\n" +
          "  --region    cartography's region: ambiguous (default), easy-to-learn or hard-to-learn\n" +
          METHODS_HELP +
          EPOCHS_HELP,
      );
    }
    const choice = methodChoice(values);
    const threshold = choice.limThreshold ?? DEFAULT_THRESHOLD;
    const out = stringFlag(values, "out") ?? "-";
    const format = stringFlag(values, "format") ?? "jsonl";
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${format}"`);
    const manifest = values.manifest === true;
    if (manifest && out === "-") throw new UsageError("--manifest needs --out FILE: the manifest is written beside the exported file");
    if (format === "parquet" && out === "-" && process.stdout.isTTY) {
      throw new UsageError("Parquet is binary: pass --out FILE or redirect stdout to a file");
    }
    const withScores = values["with-scores"] === true;
    const overrides = scoreOverrides(values);

    const scored = await scoreRun(positional.run, overrides);
    const method = selectRun(scored, choice);
    const selection = methodExportSelection(method);
    const result = await exportFile(scored, { format, threshold, withScores, selection, out: out === "-" ? process.stdout : out });
    const to = out === "-" ? "" : ` to ${out}`;
    const rule = method.method === "lim" && method.rule.kind === "threshold" ? `threshold ${threshold}` : `${method.method}, ${describeRule(method.rule)}`;
    process.stderr.write(`Exported ${int(result.rows)} rows as ${format} (${rule}) from run "${scored.run.name}"${to}.\n`);
    if (manifest) {
      const file = await writeManifest(out, buildManifest(scored, { format, threshold, withScores, file: out, result, method }));
      process.stderr.write(`Manifest: ${file} (sha256 ${result.sha256}).\n`);
    }
  },
};
