import { METHOD_NAMES, METHODS } from "../../methods/methods";
import type { Command } from "../command";
import { parseFlags } from "../flags";

export const methodsCommand: Command = {
  name: "methods",
  usage: "lim methods [--json]",
  async run(args) {
    const { values, help } = parseFlags(args, { json: { type: "boolean" } }, []);
    if (help) return void process.stdout.write(`${this.usage}\nLists the selection methods, one line each: its default rule and its source (--json adds what each scores).\n`);
    const methods = METHOD_NAMES.map((m) => METHODS[m]);
    if (values.json) return void process.stdout.write(JSON.stringify(methods, null, 2) + "\n");
    // One line per method; the score's formula is in --json and `lim score --method M`.
    const name = Math.max(...methods.map((m) => m.name.length));
    const rule = Math.max(...methods.map((m) => m.defaultRule.length));
    process.stdout.write(methods.map((m) => `${m.name.padEnd(name)}  ${m.defaultRule.padEnd(rule)}  ${m.source}`).join("\n") + "\n");
  },
};
