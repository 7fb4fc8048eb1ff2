import { DEFAULT_THRESHOLD } from "../../lim/select";
import { type MethodName } from "../../methods/methods";
import { overlap } from "../../methods/overlap";
import { describeRule, type Rule } from "../../methods/select";
import { runWarnings, selectRun, type MethodRun } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EPOCHS_HELP, numberFlag, parseFlags, SCORE_OPTIONS, scoreOverrides } from "../flags";
import { int, table } from "../format";
import { methodsFlag, seedFlag, topFlag } from "../method-flags";

export const compareCommand: Command = {
  name: "compare",
  usage:
    "lim compare <run> [--methods a,b,...] [--top N] [--threshold T] [--seed S] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--json]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { ...SCORE_OPTIONS, methods: { type: "string" }, top: { type: "string" }, seed: { type: "string" }, json: { type: "boolean" } }, ["run"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nEach method's selection and, for every pair, the prompts both keep and the Jaccard index.\n` +
          "  --methods   the methods to compare (default all)\n" +
          "  --top N     every ranked method (all but cartography) keeps its N highest scores; default: each its own rule,\n" +
          "              the ranked ones at LIM's count at its threshold\n" +
          `  --threshold LIM's threshold (default ${DEFAULT_THRESHOLD}), and through its count the budget of the ranked methods\n` +
          "  --seed S    rand's seed (default 0)\n" +
          EPOCHS_HELP,
      );
    }
    const methods = methodsFlag(values);
    const top = topFlag(values);
    const limThreshold = numberFlag(values, "threshold") ?? DEFAULT_THRESHOLD;
    if (top !== undefined && values.threshold !== undefined) throw new UsageError("--threshold and --top are two rules: pass one of them");
    const seed = seedFlag(values, methods.includes("rand"));
    const scored = await scoreRun(positional.run, scoreOverrides(values), { withPrompts: false });
    const runs = methods.map((method) => {
      const rule: Rule | undefined = top !== undefined && method !== "cartography" ? { kind: "top", n: top } : undefined;
      return selectRun(scored, { method, rule, seed, limThreshold });
    });
    const result = compareSelections(runs);
    const warnings = runWarnings(scored, methods);
    if (values.json) return void process.stdout.write(JSON.stringify({ run: scored.run.name, ...result, warnings }, null, 2) + "\n");
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(render(scored.run.name, scored.exclusion.length, result));
  },
};

interface Comparison {
  methods: { method: MethodName; rule: Rule; selected: number }[];
  pairs: { a: MethodName; b: MethodName; both: number; jaccard: number }[];
}

function compareSelections(runs: MethodRun[]): Comparison {
  const pairs: Comparison["pairs"] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const o = overlap(runs[i].selection, runs[j].selection);
      pairs.push({ a: runs[i].method, b: runs[j].method, both: o.both, jaccard: o.jaccard });
    }
  }
  return { methods: runs.map((r) => ({ method: r.method, rule: r.rule, selected: r.selection.count })), pairs };
}

function render(run: string, prompts: number, c: Comparison): string {
  const out = [`run ${run}: ${int(prompts)} prompts`];
  out.push(table([["method", "rule", "selected"], ...c.methods.map((m) => [m.method, describeRule(m.rule), int(m.selected)])]));
  out.push("");
  out.push(table([["pair", "both", "jaccard"], ...c.pairs.map((p) => [`${p.a} & ${p.b}`, int(p.both), p.jaccard.toFixed(4)])]));
  return out.join("\n") + "\n";
}
