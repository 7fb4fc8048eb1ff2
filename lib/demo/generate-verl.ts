import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Archetype } from "./archetypes";
import { mathAnswer, mathResponse } from "./math-text";
import { mulberry32 } from "./prng";
import { planPrompts, rolloutKind, trainingSteps } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic verl `trainer.rollout_data_dir`: DIR/{step}.jsonl, one
 * object per rollout with `input` (chat-templated prompt), `output`, `gts`, `score`, `step`
 * and the reward-info keys `acc` and `pred`, as verl's trainer dumps them. Small and in
 * memory: it is a test and demo fixture, not a scale generator (see generate-run.ts).
 *
 * The score is shaped the way custom verl reward functions often are, so that `acc` and
 * "score >= 1" disagree on some rollouts: a correct but overlong answer scores 0.8, a wrong
 * one 0 (-1 without a boxed answer), and a lenient verifier now and then gives a wrong
 * answer 1.0 while `acc` stays false.
 */
export interface GenerateVerlOptions {
  dir: string;
  prompts?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  rolloutsPerPrompt?: number;
  /** Write the `acc` key (default true); without it success can only come from the score. */
  acc?: boolean;
  /**
   * Write `index`, the question's 0-based index (default false): what a reward function that
   * logs verl's `extra_info.index` adds, and what --id-field index identifies prompts by.
   */
  index?: boolean;
  seed?: number;
}

export interface GeneratedVerlRun {
  dir: string;
  steps: number;
  rollouts: number;
  bytes: number;
  /** Questions (without the chat template), their answers and archetypes, in prompt order. */
  questions: string[];
  answers: string[];
  archetypes: Archetype[];
}

/** A Qwen-style chat template, as verl's `input` holds it after decoding. */
export function chatTemplate(question: string): string {
  return (
    "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n" +
    `<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n`
  );
}

export function generateVerl(opts: GenerateVerlOptions): GeneratedVerlRun {
  const o = { prompts: 48, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, acc: true, index: false, seed: 1, ...opts };
  const r = mulberry32(o.seed);
  mkdirSync(o.dir, { recursive: true });
  const { questions, answers, curves } = planPrompts(r, o.prompts, o.epochs);
  let rollouts = 0;
  let bytes = 0;
  for (const { epoch, step, prompts } of trainingSteps(r, o)) {
    const lines: string[] = [];
    for (const p of prompts) {
      for (let j = 0; j < o.rolloutsPerPrompt; j++) {
        const kind = rolloutKind(r, curves[p].accuracy(epoch));
        const acc = kind === "correct";
        const output = mathResponse(r, 80 + Math.floor(160 * r()), kind);
        const u = r();
        const score = acc ? (u < 0.15 ? 0.8 : 1.0) : kind === "format" ? -1.0 : u < 0.05 ? 1.0 : 0.0;
        const pred = kind === "format" ? "[INVALID]" : acc ? answers[p] : mathAnswer(r);
        const row: Record<string, unknown> = { input: chatTemplate(questions[p]), output, gts: answers[p], score, step };
        if (o.acc) row.acc = acc;
        row.pred = pred;
        if (o.index) row.index = p;
        lines.push(JSON.stringify(row));
        rollouts++;
      }
    }
    const text = lines.map((l) => `${l}\n`).join("");
    writeFileSync(join(o.dir, `${step}.jsonl`), text);
    bytes += Buffer.byteLength(text);
  }
  return { dir: o.dir, steps: o.epochs * o.stepsPerEpoch, rollouts, bytes, questions, answers, archetypes: curves.map((c) => c.archetype) };
}
