import type { RunRecord } from "../../db/types";
import { describeEpochRule } from "../../lim/epochs";
import { DEFAULT_THRESHOLD } from "../../lim/select";
import { describeSuccessRule, loggedSuccessField, successRuleText } from "../../lim/success-rule";
import { CATEGORIES, type Category } from "../../methods/categories";
import { METHODS } from "../../methods/methods";
import { describeRule, type Rule } from "../../methods/select";
import { summarizeMethod, type MethodSummary } from "../../runs/method-summary";
import { runCategories, runWarnings, selectRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import { summarize, type ScoreSummary } from "../../runs/summarize";
import type { Command } from "../command";
import { EPOCHS_HELP, parseFlags, SCORE_OPTIONS, scoreOverrides } from "../flags";
import { int, score, table } from "../format";
import { METHOD_OPTIONS, methodChoice, METHODS_HELP, REGION_OPTION } from "../method-flags";

export const scoreCommand: Command = {
  name: "score",
  usage:
    "lim score <run> [--method M] [--threshold T | --top N | --region R] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--json]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, ...METHOD_OPTIONS, ...REGION_OPTION, json: { type: "boolean" } }, ["run"]);
    if (help) {
      return void process.stdout.write(`${this.usage}\nScores every prompt of a run and summarises the selection (default threshold ${DEFAULT_THRESHOLD}).\n${METHODS_HELP}${EPOCHS_HELP}`);
    }
    const choice = methodChoice(values);
    const scored = await scoreRun(positional.run, scoreOverrides(values), { withPrompts: false });
    const picked = selectRun(scored, choice);
    const categories = runCategories(scored);
    const warnings = runWarnings(scored, [choice.method]);
    if (!values.json) for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    if (choice.method !== "lim") {
      const s = summarizeMethod(scored, picked, categories, warnings);
      return void process.stdout.write(values.json ? JSON.stringify(s, null, 2) + "\n" : renderMethod(s, scored.run));
    }
    // LIM's summary as it always was, plus the method, its rule, the categories and the warnings.
    const summary = summarize(scored, choice.limThreshold!);
    const threshold = picked.rule.kind === "threshold" ? picked.rule.threshold : null;
    if (values.json) {
      const json = { ...summary, threshold, selected: picked.selection.count, method: "lim", rule: picked.rule, categories, warnings };
      return void process.stdout.write(JSON.stringify(json, null, 2) + "\n");
    }
    process.stdout.write(render({ ...summary, selected: picked.selection.count }, scored.run, picked.rule));
  },
};

/** The lines about the run and its parameters, the same for every method. */
function header(s: { run: string; params: ScoreSummary["params"]; average: number[]; visits?: ScoreSummary["visits"] }, run: RunRecord): string[] {
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
  return out;
}

function averageLines(average: number[]): string[] {
  if (!average.length) return [];
  return ["model average accuracy per epoch:", average.map((a, i) => `  ${String(i + 1).padStart(3)}  ${a.toFixed(4)}`).join("\n")];
}

function quantileLine(label: string, quantiles: ScoreSummary["quantiles"]): string[] {
  if (!quantiles.length) return [];
  return [`${label} quantiles: ` + quantiles.map((q) => `${q.q === 0 ? "min" : q.q === 1 ? "max" : `p${q.q * 100}`} ${score(q.score)}`).join("  ")];
}

function render(s: ScoreSummary, run: RunRecord, rule: Rule): string {
  const out = header(s, run);
  out.push(table([
    ["prompts", int(s.prompts)],
    ["scored", int(s.scored)],
    ["excluded", int(s.excluded.total)],
    ["  missing an epoch after back-fill", int(s.excluded.missingEpochs)],
    ["  undefined score (average accuracy 1 in every epoch)", int(s.excluded.undefinedScore)],
    [`selected (${describeRule(rule)})`, int(s.selected)],
  ]));
  out.push(...averageLines(s.average), ...quantileLine("score", s.quantiles));
  return out.join("\n") + "\n";
}

function renderMethod(s: MethodSummary, run: RunRecord): string {
  const out = header(s, run);
  const info = METHODS[s.method];
  out.push(`method ${s.method}${s.seed !== undefined ? ` (seed ${s.seed})` : ""}: ${info.score}`, `  source: ${info.source}`);
  out.push(table([
    ["prompts", int(s.prompts)],
    [s.method === "cartography" ? "on the map" : "scored", int(s.scored)],
    ["excluded", int(s.excluded.total)],
    ["  missing an epoch after back-fill", int(s.excluded.missingEpochs)],
    ...(s.excluded.undefinedScore ? [["  no score from this method (too few epochs)", int(s.excluded.undefinedScore)]] : []),
    [`selected (${describeRule(s.rule)})`, int(s.selected)],
  ]));
  out.push("categories: " + CATEGORIES.map((c: Category) => `${c} ${int(s.categories[c])}`).join(", "));
  if (s.cartography) {
    const { ambiguousFrom, regions } = s.cartography;
    out.push(`regions: ${Object.entries(regions).map(([r, n]) => `${r} ${int(n)}`).join(", ")} (ambiguous: variability >= ${score(ambiguousFrom)}, the 67th percentile)`);
  }
  out.push(...averageLines(s.average), ...quantileLine(s.method === "cartography" ? "variability" : "score", s.quantiles));
  return out.join("\n") + "\n";
}
