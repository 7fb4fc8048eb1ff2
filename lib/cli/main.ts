import { closeDb } from "../db";
import { LimParamError } from "../lim/lim-score";
import { MethodRuleError } from "../methods/select";
import { RunNotFoundError } from "../runs/score-run";
import { deleteCommand } from "./commands/delete";
import { compareCommand } from "./commands/compare";
import { compareRunsCommand } from "./commands/compare-runs";
import { demoCommand } from "./commands/demo";
import { exportCommand } from "./commands/export";
import { importScoresCommand } from "./commands/import-scores";
import { ingestCommand } from "./commands/ingest";
import { methodsCommand } from "./commands/methods";
import { runsCommand } from "./commands/runs";
import { scoreCommand } from "./commands/score";
import { transferCommand } from "./commands/transfer";
import { weightsCommand } from "./commands/weights";
import { setsCommand } from "./commands/sets";
import { EXIT, UsageError } from "./errors";
import type { Command } from "./command";

const COMMANDS: Command[] = [ingestCommand, importScoresCommand, runsCommand, scoreCommand, exportCommand, compareCommand, compareRunsCommand, transferCommand, weightsCommand, methodsCommand, setsCommand, deleteCommand, demoCommand];

function overview(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage}`);
  return `lim: choose the prompts worth training on from RL reward logs (LIM)\n\nUsage:\n${lines.join("\n")}\n\nRun \`lim <command> --help\` for a command's flags.`;
}

/** Runs one `lim` command and returns its exit code: 0 ok, 1 runtime error, 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(overview() + "\n");
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`lim: unknown command "${name}"\n\n${overview()}\n`);
    return EXIT.usage;
  }
  try {
    await command.run(rest);
    return EXIT.ok;
  } catch (e) {
    const usage = e instanceof UsageError || e instanceof LimParamError || e instanceof MethodRuleError;
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`lim ${name}: ${message}\n`);
    if (usage) process.stderr.write(`usage: ${command.usage}\n`);
    if (!usage && !(e instanceof RunNotFoundError) && process.env.LIM_DEBUG) console.error(e);
    return usage ? EXIT.usage : EXIT.runtime;
  } finally {
    await closeDb();
  }
}
