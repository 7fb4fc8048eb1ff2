import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { exportLines } from "../../export/export-lines";
import { DEFAULT_THRESHOLD } from "../../lim/select";
import { scoreRun } from "../../runs/score-run";
import type { Command } from "../command";
import { numberFlag, parseFlags, SCORE_OPTIONS, scoreOverrides, stringFlag } from "../flags";
import { int } from "../format";

export const exportCommand: Command = {
  name: "export",
  usage: "lim export <run> [--threshold T] [--steps-per-epoch N] [--max-epochs K] [--success-reward R] [--out FILE|-] [--with-scores]",
  async run(args) {
    const { values, positional, help } = parseFlags(
      args,
      { ...SCORE_OPTIONS, out: { type: "string", short: "o" }, "with-scores": { type: "boolean" } },
      ["run"],
    );
    if (help) return void process.stdout.write(`${this.usage}\nWrites the selected prompts' original dataset rows as JSONL (default threshold ${DEFAULT_THRESHOLD}, default output stdout).\n`);
    const threshold = numberFlag(values, "threshold") ?? DEFAULT_THRESHOLD;
    const out = stringFlag(values, "out") ?? "-";
    const scored = await scoreRun(positional.run, scoreOverrides(values));
    let rows = 0;
    const lines = Readable.from(
      (async function* () {
        for await (const line of exportLines(scored, { threshold, withScores: values["with-scores"] === true })) {
          rows++;
          yield line;
        }
      })(),
    );
    if (out === "-") {
      await pipeline(lines, process.stdout, { end: false });
    } else {
      // Write beside the target and rename, so a failed export never leaves a truncated file.
      const partial = `${out}.partial-${process.pid}`;
      try {
        await pipeline(lines, createWriteStream(partial));
        await rename(partial, out);
      } catch (e) {
        await rm(partial, { force: true });
        throw e;
      }
    }
    process.stderr.write(`Exported ${int(rows)} rows (threshold ${threshold}) from run "${scored.run.name}"${out === "-" ? "" : ` to ${out}`}.\n`);
  },
};
