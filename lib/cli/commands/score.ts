import type { RunRecord } from "../../db/types";
import { describeEpochRule } from "../../lim/epochs";
import { DEFAULT_THRESHOLD } from "../../lim/select";
import { describeSuccessRule, loggedSuccessField, successRuleText } from "../../lim/success-rule";
import { scoreRun } from "../../runs/score-run";
import { summarize, type ScoreSummary } from "../../runs/summarize";
import type { Command } from "../command";
import { EPOCHS_HELP, numberFlag, parseFlags, SCORE_OPTIONS, scoreOverrides } from "../flags";
import { int, score, table } from "../format";

export const scoreCommand: Command = {
  name: "score",
  usage: "lim score <run> [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--threshold T] [--json]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, json: { type: "boolean" } }, ["run"]);
    if (help) return void process.stdout.write(`${this.usage}\nScores every prompt of a run and summarises the selection (default threshold ${DEFAULT_THRESHOLD}).\n${EPOCHS_HELP}`);
    const threshold = numberFlag(values, "threshold") ?? DEFAULT_THRESHOLD;
    const scored = await scoreRun(positional.run, scoreOverrides(values), { withPrompts: false });
    const summary = summarize(scored, threshold);
    process.stdout.write(values.json ? JSON.stringify(summary, null, 2) + "\n" : render(summary, scored.run));
  },
};

function render(s: ScoreSummary, run: RunRecord): string {
  const out: string[] = [];
  const p = s.params;
  const field = loggedSuccessField(run);
  const success = successRuleText(run.successRule, p.successReward, field);
  if (!s.average.length && !p.maxEpochs) out.push(`run ${s.run}: published scores`);
  else if (p.epochMode === "visits") {
    out.push(`run ${s.run}: epochs by visits, epochs 1-${p.maxEpochs}, ${success}`);
    out.push(describeEpochRule("visits", p.stepsPerEpoch, s.visits ?? null));
  } else out.push(`run ${s.run}: ${p.stepsPerEpoch} steps per epoch, epochs 1-${p.maxEpochs}, ${success}`);
  if (run.kind !== "scores" && run.successRule !== "equals") out.push(describeSuccessRule(run.successRule, p.successReward, field));
  out.push(table([
    ["prompts", int(s.prompts)],
    ["scored", int(s.scored)],
    ["excluded", int(s.excluded.total)],
    ["  missing an epoch after back-fill", int(s.excluded.missingEpochs)],
    ["  undefined score (average accuracy 1 in every epoch)", int(s.excluded.undefinedScore)],
    [`selected (score >= ${s.threshold})`, int(s.selected)],
  ]));
  if (s.average.length) {
    out.push("model average accuracy per epoch:");
    out.push(s.average.map((a, i) => `  ${String(i + 1).padStart(3)}  ${a.toFixed(4)}`).join("\n"));
  }
  if (s.quantiles.length) {
    out.push("score quantiles: " + s.quantiles.map((q) => `${q.q === 0 ? "min" : q.q === 1 ? "max" : `p${q.q * 100}`} ${score(q.score)}`).join("  "));
  }
  return out.join("\n") + "\n";
}
