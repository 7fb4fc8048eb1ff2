import { describeRule } from "../../methods/select";
import { deleteSet, listSets, requireSet, type SavedSet } from "../../sets";
import type { Command } from "../command";
import { parseFlags } from "../flags";
import { int, table } from "../format";

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

export const setsList: Command = {
  name: "list",
  usage: "lim sets list [--json]",
  async run(args) {
    const { values, help } = parseFlags(args, { json: { type: "boolean" } }, []);
    if (help) return void process.stdout.write(`${this.usage}\nLists the saved sets, newest first.\n`);
    const sets = await listSets();
    if (values.json) return void process.stdout.write(JSON.stringify(sets, null, 2) + "\n");
    if (sets.length === 0) return void process.stderr.write("No saved sets yet. Save one: lim sets save <run> --name <set>\n");
    const rows = [["name", "run", "method", "rule", "rows", "format", "saved"]];
    for (const s of sets) rows.push([s.name, s.run.name, s.method, describeRule(s.rule), int(s.counts.rows), s.format, when(s.createdAt)]);
    process.stdout.write(table(rows) + "\n");
  },
};

export const setsShow: Command = {
  name: "show",
  usage: "lim sets show <set> [--json]",
  async run(args) {
    const { values, positional, help } = parseFlags(args, { json: { type: "boolean" } }, ["set"]);
    if (help) return void process.stdout.write(`${this.usage}\nA saved set's provenance: run, method, rule, parameters, counts, SHA-256 per format.\n`);
    const set = await requireSet(positional.set);
    process.stdout.write(values.json ? JSON.stringify(set, null, 2) + "\n" : describe(set));
  },
};

function describe(s: SavedSet): string {
  const p = s.parameters;
  const c = s.counts;
  const lines = [
    `set ${s.name}: ${int(c.rows)} rows, saved ${s.createdAt.toISOString()} by ${s.tool.name} ${s.tool.version}`,
    ...(s.note ? [`note: ${s.note}`] : []),
    `run: ${s.run.name} from ${s.run.source} (created ${s.run.createdAt.toISOString()}, updated ${s.run.updatedAt.toISOString()})`,
    `method: ${s.method}, ${describeRule(s.rule)}${s.seed !== null ? `, seed ${s.seed}` : ""}${s.withScores ? ", with scores" : ""}`,
    `parameters: ${p.stepsPerEpoch} steps per epoch, epochs by ${p.epochMode}, max epochs ${p.maxEpochs}, success reward ${p.successReward}`,
    `prompts ${int(c.prompts)}, scored ${int(c.scored)}, excluded ${int(c.excluded)}, selected ${int(c.selected)}, rows ${int(c.rows)}`,
    ...s.files.map((f) => `${f.format.padEnd(7)} ${int(f.bytes)} bytes, sha256 ${f.sha256}${f.format === s.format ? " (default)" : ""}`),
  ];
  return lines.join("\n") + "\n";
}

export const setsDelete: Command = {
  name: "delete",
  usage: "lim sets delete <set>",
  async run(args) {
    const { positional, help } = parseFlags(args, {}, ["set"]);
    if (help) return void process.stdout.write(`${this.usage}\nDeletes a saved set (its run is not touched).\n`);
    await deleteSet(positional.set);
    process.stderr.write(`Deleted set "${positional.set}".\n`);
  },
};
