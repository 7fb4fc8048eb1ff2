import type { Command } from "../command";
import { UsageError } from "../errors";
import { setsDiff } from "./sets-diff";
import { setsExport } from "./sets-export";
import { setsDelete, setsList, setsShow } from "./sets-list";
import { setsSave } from "./sets-save";

/** `lim sets <action>`: each action is a Command of its own, named by its first word. */
const ACTIONS: Command[] = [setsSave, setsList, setsShow, setsDelete, setsExport, setsDiff];

export const setsCommand: Command = {
  name: "sets",
  usage: ACTIONS.map((a) => a.usage).join("\n  "),
  async run(args) {
    const [action, ...rest] = args;
    if (action === undefined) throw new UsageError(`expected an action: ${ACTIONS.map((a) => a.name).join(", ")}`);
    if (action === "--help" || action === "-h") {
      return void process.stdout.write(`${this.usage}\nSaved sets: a selection kept as the exact bytes lim export wrote, with its provenance.\n`);
    }
    const command = ACTIONS.find((a) => a.name === action);
    if (!command) throw new UsageError(`unknown action "${action}"; the actions are ${ACTIONS.map((a) => a.name).join(", ")}`);
    await command.run(rest);
  },
};
