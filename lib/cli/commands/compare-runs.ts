import { DEFAULT_THRESHOLD } from "../../lim/select";
import { joinScoredRuns, summarizeJoin } from "../../runs/compare-runs";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { EPOCHS_HELP, numberFlag, parseFlags, SCORE_OPTIONS, scoreOverrides } from "../flags";
import { int, table } from "../format";

export const compareRunsCommand: Command = {
  name: "compare-runs",
  usage: "lim compare-runs <a> <b> [--threshold T] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--json]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, json: { type: "boolean" } }, ["a", "b"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nJoins two runs of one dataset by prompt (the dataset id when both runs are identified by id, else the prompt's text)\n` +
          "among the prompts scored in both: the Spearman rank correlation of their LIM scores (ties averaged) and the\n" +
          "prompts each run selects. The scoring flags apply to both runs.\n" +
          `  --threshold LIM's threshold for both selections (default ${DEFAULT_THRESHOLD})\n` +
          EPOCHS_HELP,
      );
    }
    const overrides = scoreOverrides(values);
    const threshold = numberFlag(values, "threshold") ?? DEFAULT_THRESHOLD;
    const a = await scoreRun(positional.a, overrides);
    const b = await scoreRun(positional.b, overrides);
    const join = await joinScoredRuns(a, b, threshold);
    const s = summarizeJoin(a, b, join);
    if (values.json) return void process.stdout.write(JSON.stringify(s, null, 2) + "\n");
    const out = [
      `runs ${s.a} and ${s.b}: prompts joined by ${join.key === "id" ? "dataset id" : "prompt text"}, LIM score >= ${threshold}`,
      table([
        ["joined (scored in both)", int(s.joined)],
        [`scored in ${s.a} only`, int(s.unjoined_a)],
        [`scored in ${s.b} only`, int(s.unjoined_b)],
        ["spearman (LIM scores, ties averaged)", s.spearman === null ? "undefined" : s.spearman.toFixed(4)],
        [`selected by ${s.a}`, int(s.a_selected)],
        [`selected by ${s.b}`, int(s.b_selected)],
        ["selected by both (joined)", int(s.both_selected)],
        [`selected by ${s.a} only (joined)`, int(s.only_a_selected)],
        [`selected by ${s.b} only (joined)`, int(s.only_b_selected)],
      ]),
    ];
    process.stdout.write(out.join("\n") + "\n");
  },
};
