import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { mathResponse } from "./math-text";
import { mulberry32 } from "./prng";
import { planPrompts, rolloutKind, trainingSteps } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic TRL GRPOTrainer run with `log_completions=True`:
 * DIR/completions/completions_{step:05d}.parquet, as GRPOTrainer.log writes them with pandas:
 * columns `step` (INT64), `prompt`, `completion`, one DOUBLE column per reward function (named
 * after it) and `advantage`. TRL writes a file only at logged steps (every `logging_steps`),
 * holding the last generation batch: here one batch per step, so a logged file holds that
 * step's rollouts and the other steps are absent, as in a real run.
 *
 * TRL's `prompt` is the prompt decoded without special tokens (the chat template's text);
 * `chatPrompts` writes it as a list of chat messages instead, as some exports do.
 */
export interface GenerateTrlOptions {
  dir: string;
  prompts?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** num_generations: completions per prompt. */
  rolloutsPerPrompt?: number;
  /** TRL's logging_steps: a file every N steps (default 1: every step). */
  loggingSteps?: number;
  /** Reward function names, one column each (default: accuracy_reward and format_reward). */
  rewardFuncs?: string[];
  chatPrompts?: boolean;
  seed?: number;
}

export interface GeneratedTrlRun {
  dir: string;
  completionsDir: string;
  /** Logged steps, in order. */
  steps: number[];
  /** Rollouts in the written files. */
  rollouts: number;
  bytes: number;
  questions: string[];
  /** Each question's answer, in the same order. */
  answers: string[];
}

const SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

/** A Qwen chat template decoded with skip_special_tokens=True, as TRL logs the prompt. */
export function trlPromptText(question: string): string {
  return `system\n${SYSTEM}\nuser\n${question}\nassistant\n`;
}

function schemaFor(rewardFuncs: string[], chat: boolean): SchemaElement[] {
  const opt = "OPTIONAL" as const;
  const text = (name: string): SchemaElement => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: opt });
  const prompt: SchemaElement[] = chat
    ? [{ name: "prompt", repetition_type: opt, num_children: 1, converted_type: "LIST" }, { name: "list", repetition_type: "REPEATED", num_children: 1 }, { name: "element", repetition_type: opt, num_children: 2 }, text("role"), text("content")]
    : [text("prompt")];
  return [
    { name: "root", num_children: 4 + rewardFuncs.length },
    { name: "step", type: "INT64", repetition_type: opt },
    ...prompt,
    text("completion"),
    ...rewardFuncs.map((name): SchemaElement => ({ name, type: "DOUBLE", repetition_type: opt })),
    { name: "advantage", type: "DOUBLE", repetition_type: opt },
  ];
}

export function generateTrl(opts: GenerateTrlOptions): GeneratedTrlRun {
  const o = { prompts: 36, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, loggingSteps: 1, rewardFuncs: ["accuracy_reward", "format_reward"], chatPrompts: false, seed: 3, ...opts };
  const r = mulberry32(o.seed);
  const completionsDir = join(o.dir, "completions");
  mkdirSync(completionsDir, { recursive: true });
  const { questions, answers, curves } = planPrompts(r, o.prompts, o.epochs);
  const schema = schemaFor(o.rewardFuncs, o.chatPrompts);
  const steps: number[] = [];
  let rollouts = 0;
  let bytes = 0;
  for (const { epoch, step, prompts } of trainingSteps(r, o)) {
    const cols: { prompt: unknown[]; completion: string[]; rewards: number[][]; advantage: number[] } = { prompt: [], completion: [], rewards: o.rewardFuncs.map(() => []), advantage: [] };
    for (const p of prompts) {
      const group: number[] = [];
      for (let j = 0; j < o.rolloutsPerPrompt; j++) {
        const kind = rolloutKind(r, curves[p].accuracy(epoch));
        const ok = kind === "correct";
        cols.prompt.push(o.chatPrompts ? [{ role: "system", content: SYSTEM }, { role: "user", content: questions[p] }] : trlPromptText(questions[p]));
        cols.completion.push(mathResponse(r, 60 + Math.floor(120 * r()), kind) + (ok ? ` \\boxed{${answers[p]}}` : ""));
        // The first function is the accuracy, the second the format; any others score at random.
        o.rewardFuncs.forEach((_, f) => cols.rewards[f].push(f === 0 ? (ok ? 1 : 0) : f === 1 ? (kind === "format" ? 0 : 1) : Math.round(r() * 4) / 4));
        group.push(o.rewardFuncs.reduce((sum, _, f) => sum + cols.rewards[f][cols.rewards[f].length - 1], 0));
      }
      const mean = group.reduce((a, b) => a + b, 0) / group.length;
      const std = Math.sqrt(group.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, group.length - 1));
      for (const g of group) cols.advantage.push((g - mean) / (std + 1e-4));
    }
    // TRL writes when global_step % logging_steps == 0 (the Trainer's logging schedule).
    if (step % o.loggingSteps !== 0) continue;
    const n = cols.completion.length;
    const buf = parquetWriteBuffer({
      schema,
      columnData: [
        { name: "step", data: Array.from({ length: n }, () => BigInt(step)) },
        { name: "prompt", data: cols.prompt },
        { name: "completion", data: cols.completion },
        ...o.rewardFuncs.map((name, f) => ({ name, data: cols.rewards[f] })),
        { name: "advantage", data: cols.advantage },
      ],
    });
    writeFileSync(join(completionsDir, `completions_${String(step).padStart(5, "0")}.parquet`), new Uint8Array(buf));
    steps.push(step);
    rollouts += n;
    bytes += buf.byteLength;
  }
  return { dir: o.dir, completionsDir, steps, rollouts, bytes, questions, answers };
}
