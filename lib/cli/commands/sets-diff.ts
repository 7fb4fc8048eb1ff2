import { diffSets, type RowIdentity } from "../../sets";
import type { Command } from "../command";
import { parseFlags } from "../flags";
import { int } from "../format";

export const setsDiff: Command = {
  name: "diff",
  usage: "lim sets diff <a> <b> [--json] [--rows]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { json: { type: "boolean" }, rows: { type: "boolean" } }, ["a", "b"]);
    if (help) {
      return void process.stdout.write(
        `${this.usage}\nRows only in A, only in B and in both, matched by the dataset's id when both sets' rows have one, else by prompt.\n` +
          "  --rows      also list the rows of each part (row index in the dataset, id, prompt)\n",
      );
    }
    const d = await diffSets(positional.a, positional.b, { rows: values.rows === true });
    if (values.json) return void process.stdout.write(JSON.stringify(d, null, 2) + "\n");
    const lines = [`${positional.a} vs ${positional.b}, rows matched by ${d.by}: only in ${positional.a} ${int(d.only_a)}, only in ${positional.b} ${int(d.only_b)}, in both ${int(d.both)}`];
    if (d.rows) {
      const part = (title: string, rows: RowIdentity[]) => [`${title} (${int(rows.length)}):`, ...rows.map(line)];
      lines.push(...part(`only in ${positional.a}`, d.rows.only_a), ...part(`only in ${positional.b}`, d.rows.only_b), ...part("in both", d.rows.both));
    }
    process.stdout.write(lines.join("\n") + "\n");
  },
};

function line(r: RowIdentity): string {
  const text = r.prompt.length > 100 ? `${r.prompt.slice(0, 100)}…` : r.prompt;
  return `  ${r.row === null ? "-" : `row ${r.row}`}${r.id !== null ? ` id ${r.id}` : ""}: ${JSON.stringify(text)}`;
}
