import { exportWeights, isWeightFormat, WEIGHT_FORMATS } from "../../export/weights-file";
import { isMethodName, METHOD_NAMES } from "../../methods/methods";
import { runMethodScores } from "../../runs/run-methods";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { UsageError } from "../errors";
import { EPOCHS_HELP, numberFlag, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { int } from "../format";
import { seedFlag } from "../method-flags";

export const weightsCommand: Command = {
  name: "weights",
  usage:
    "lim weights <run> --by M [--seed S] [--floor W] [--steps-per-epoch N] [--epochs steps|visits] [--max-epochs K] [--success-reward R] [--format jsonl|csv] [--out FILE|-]",
  async run(args) {
    const { "threshold": _threshold, ...scoring } = SCORE_OPTIONS;
    const { values, positional, help } = parseFlags(
      args,
      { ...scoring, by: { type: "string" }, seed: { type: "string" }, floor: { type: "string" }, format: { type: "string", short: "f" }, out: { type: "string", short: "o" } },
      ["run"],
    );
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nA sampling weight for every dataset row from method M's score: {"row": index, "id": id or null, "weight": w}.\n` +
          "  w = max(s, 0) / mean over the rows with a score of max(s, 0): higher score, higher weight, the scored rows\n" +
          "  averaging 1 (each 1 when every clipped score is 0); rows whose prompt has no score weigh --floor\n" +
          `  --by M      ${METHOD_NAMES.join(", ")}\n` +
          "  --floor W   the weight of rows without a score (default 0: never drawn)\n" +
          "  --format    jsonl (default) or csv (row,id,weight with a header)\n" +
          "  --seed S    rand's seed (default 0)\n" +
          EPOCHS_HELP,
      );
    }
    const by = stringFlag(values, "by");
    if (by === undefined) throw new UsageError("--by M is required: the method whose score gives the weights");
    if (!isMethodName(by)) throw new UsageError(`--by must be one of ${METHOD_NAMES.join(", ")}, got "${by}"`);
    const seed = seedFlag(values, by === "rand");
    const floor = numberFlag(values, "floor") ?? 0;
    if (floor < 0) throw new UsageError(`--floor must be >= 0 (a weight), got "${values.floor}"`);
    const format = stringFlag(values, "format") ?? "jsonl";
    if (!isWeightFormat(format)) throw new UsageError(`--format must be one of ${WEIGHT_FORMATS.join(", ")}, got "${format}"`);
    const out = stringFlag(values, "out") ?? "-";

    const scored = await scoreRun(positional.run, scoreOverrides(values));
    const scores = runMethodScores(scored, by, seed);
    const r = await exportWeights(scored, scores, { format, floor, out: out === "-" ? process.stdout : out });
    const to = out === "-" ? "" : ` to ${out}`;
    process.stderr.write(`Wrote ${int(r.rows)} weights as ${format} (by ${by}; ${int(r.scored)} rows scored, ${int(r.rows - r.scored)} at the floor ${floor}) from run "${scored.run.name}"${to}.\n`);
  },
};
