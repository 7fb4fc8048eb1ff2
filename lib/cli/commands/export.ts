import { exportFile } from "../../export/export-file";
import { buildManifest, writeManifest } from "../../export/manifest";
import { methodExportSelection } from "../../export/method-selection";
import { DEFAULT_THRESHOLD } from "../../lim/select";
import { describeRule } from "../../methods/select";
import { runMethodScores, selectRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { EXPORT_HELP, EXPORT_OPTIONS, exportOutput, ORDER_HELP, ORDER_OPTIONS, orderFlag } from "../export-flags";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides } from "../flags";
import { int } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const exportCommand: Command = {
  name: "export",
  usage:
    "lim export <run> [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--order-by M [--descending]] [--format jsonl|json|parquet] [--out FILE|-] [--with-scores] [--manifest]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      {
        ...SCORE_OPTIONS,
        ...METHOD_OPTIONS,
        ...REGION_OPTION,
        ...EXPORT_OPTIONS,
        ...ORDER_OPTIONS,
      },
      ["run"],
    );
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nWrites the selected prompts' original dataset rows (default threshold ${DEFAULT_THRESHOLD}, default output stdout).\n` +
          EXPORT_HELP +
          ORDER_HELP +
          "  --with-scores  adds the method's score to each row as <method>_score (lim_score, pass_rate_score, ...;\n" +
          "              cartography: cartography_confidence and cartography_variability)\n" +
          "  --region    cartography's region: ambiguous (default), easy-to-learn or hard-to-learn\n" +
          METHODS_HELP +
          EPOCHS_HELP,
      );
    }
    const choice = methodChoice(values);
    const threshold = choice.limThreshold ?? DEFAULT_THRESHOLD;
    const { out, format, manifest, withScores } = exportOutput(values);
    const order = orderFlag(values);
    const overrides = scoreOverrides(values);

    const scored = await scoreRun(positional.run, overrides);
    const method = selectRun(scored, choice);
    const selection = methodExportSelection(method);
    const rowOrder = order && { score: runMethodScores(scored, order.by, order.by === "rand" ? choice.seed : undefined).score, descending: order.descending };
    const result = await exportFile(scored, { format, threshold, withScores, selection, order: rowOrder, out: out === "-" ? process.stdout : out });
    const to = out === "-" ? "" : ` to ${out}`;
    const rule = method.method === "lim" && method.rule.kind === "threshold" ? `threshold ${threshold}` : `${method.method}, ${describeRule(method.rule)}`;
    const ordered = order ? `, ordered by ${order.by} ${order.descending ? "descending" : "ascending"}` : "";
    process.stderr.write(`Exported ${int(result.rows)} rows as ${format} (${rule}${ordered}) from run "${scored.run.name}"${to}.\n`);
    if (manifest) {
      const file = await writeManifest(out, buildManifest(scored, { format, threshold, withScores, file: out, result, method, order }));
      process.stderr.write(`Manifest: ${file} (sha256 ${result.sha256}).\n`);
    }
  },
};
