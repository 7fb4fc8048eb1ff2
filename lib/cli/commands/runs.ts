import { listRuns } from "../../db";
import type { Command } from "../command";
import { parseFlags } from "../flags";
import { int, table } from "../format";

export const runsCommand: Command = {
  name: "runs",
  usage: "lim runs [--json]",
  async run(args) {
    const { values, help } = parseFlags(args, { json: { type: "boolean" } }, []);
    if (help) return void process.stdout.write(`${this.usage}\nLists the stored runs, newest first.\n`);
    const runs = await listRuns();
    if (values.json) return void process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
    if (runs.length === 0) {
      process.stderr.write("No runs yet. Ingest one: lim ingest <dir-of-step-files> --name <run>\n");
      return;
    }
    const rows = [["name", "format", "prompts", "rollouts", "steps", "steps/epoch", "created"]];
    for (const r of runs) {
      rows.push([r.name, r.format, int(r.sampleCount), int(r.rolloutCount), int(r.stepCount), String(r.stepsPerEpoch), r.createdAt.toISOString().slice(0, 16).replace("T", " ")]);
    }
    process.stdout.write(table(rows) + "\n");
  },
};
