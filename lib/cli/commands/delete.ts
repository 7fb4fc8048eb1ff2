import { deleteRun } from "../../db";
import { RunNotFoundError } from "../../runs/score-run";
import type { Command } from "../command";
import { parseFlags } from "../flags";

export const deleteCommand: Command = {
  name: "delete",
  usage: "lim delete <run>",
  async run(args) {
    const { positional, help } = parseFlags(args, {}, ["run"]);
    if (help) return void process.stdout.write(`${this.usage}\nDeletes a run and everything stored with it.\n`);
    if (!(await deleteRun(positional.run))) throw new RunNotFoundError(positional.run);
    process.stderr.write(`Deleted run "${positional.run}".\n`);
  },
};
