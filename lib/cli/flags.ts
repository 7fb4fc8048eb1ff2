import { parseArgs, type ParseArgsConfig } from "node:util";
import { EPOCH_MODES, isEpochMode } from "../lim/epochs";
import type { EpochMode } from "../lim/types";
import { UsageError } from "./errors";
import { RUN_NAME_RULE, runNameProblem } from "../db/run-name";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs that turns every complaint into a UsageError naming the flag. */
export function parseFlags(args: string[], options: Options, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) return { values: parsed.values as Record<string, string | boolean | undefined>, positional: {}, help: true };
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(`expected ${positionals.map((p) => `<${p}>`).join(" ") || "no arguments"}, got ${parsed.positionals.length ? parsed.positionals.join(" ") : "none"}`);
  }
  const positional = Object.fromEntries(positionals.map((name, i) => [name, parsed.positionals[i]]));
  return { values: parsed.values as Record<string, string | boolean | undefined>, positional, help: false };
}

export function intFlag(values: Record<string, unknown>, name: string, min: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

export function numberFlag(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a finite number, got "${raw}"`);
  return n;
}

export function stringFlag(values: Record<string, unknown>, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (raw === "") throw new UsageError(`--${name} must not be empty`);
  return raw as string;
}

/** The scoring overrides shared by `score` and `export`. */
export const SCORE_OPTIONS = {
  "steps-per-epoch": { type: "string" },
  "max-epochs": { type: "string" },
  "success-reward": { type: "string" },
  epochs: { type: "string" },
  threshold: { type: "string" },
} as const;

export const EPOCHS_HELP =
  "  --epochs    steps: step N is in epoch floor((N-1)/steps per epoch)+1 (the reference); visits: a prompt's\n" +
  "              k-th step with rollouts is its epoch k (default: the run's own rule)\n" +
  "  --success-reward  re-counts successes from the stored rewards by the run's rule: reward = R (OpenRLHF)\n" +
  "              or reward >= R (verl, TRL, NeMo-RL, JSONL, CSV); refused when success was logged per rollout\n" +
  "              (verl's acc, --success-field); `lim score <run>` names the run's rule\n";

/** `--epochs steps|visits`: how epochs are counted (default: the run's own rule). */
export function epochModeFlag(values: Record<string, unknown>): EpochMode | undefined {
  const raw = values.epochs;
  if (raw === undefined) return undefined;
  if (!isEpochMode(raw)) throw new UsageError(`--epochs must be ${EPOCH_MODES.join(" or ")}, got "${raw}"`);
  return raw;
}

export function scoreOverrides(values: Record<string, unknown>) {
  return {
    stepsPerEpoch: intFlag(values, "steps-per-epoch", 1),
    maxEpochs: intFlag(values, "max-epochs", 1),
    successReward: numberFlag(values, "success-reward"),
    epochMode: epochModeFlag(values),
  };
}

/** Run names appear in URLs and file names: keep them to a safe, readable alphabet. */
export function runNameFlag(values: Record<string, unknown>): string {
  const name = stringFlag(values, "name");
  if (!name) throw new UsageError("--name is required");
  if (runNameProblem(name)) throw new UsageError(`--name "${name}": use ${RUN_NAME_RULE}`);
  return name;
}
