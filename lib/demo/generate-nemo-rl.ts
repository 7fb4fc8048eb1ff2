import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chatTemplate } from "./generate-verl";
import { mathResponse } from "./math-text";
import { mulberry32, type Rng } from "./prng";
import { planPrompts, trainingSteps } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic NeMo-RL GRPO log: DIR/train_data_step{N}.jsonl, N from 1,
 * as `Logger.log_batched_dict_as_jsonl` writes it: one line per rollout, each field the
 * rollout's slice of the batch (a list of one), then `idx`, the line's index in the file:
 * `content` (the message log's turn texts: the chat-templated prompt turn(s), then the
 * response), `rewards`, `input_lengths`, `token_ids`, `token_loss_mask` (1 on generated
 * tokens), `sample_loss_mask`, `advantages`, `generation_logprobs`, `prev_logprobs`. Token
 * arrays are right-padded to the step's longest rollout, as the batch is.
 *
 * `systemTurn` puts the system prompt in a turn of its own (math_data_processor with a
 * system prompt); otherwise the one prompt turn holds the whole templated prompt.
 */
export interface GenerateNemoRlOptions {
  dir: string;
  prompts?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  rolloutsPerPrompt?: number;
  systemTurn?: boolean;
  seed?: number;
}

export interface GeneratedNemoRlRun {
  dir: string;
  steps: number;
  rollouts: number;
  bytes: number;
  questions: string[];
  /** Each question's answer, in the same order. */
  answers: string[];
}

const SYSTEM_TURN = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n";

/** About four characters a token: the fixture needs token arrays of plausible length, not a tokenizer. */
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
const logprob = (r: Rng) => -Math.round(r() * 30000) / 10000;

export function generateNemoRl(opts: GenerateNemoRlOptions): GeneratedNemoRlRun {
  const o = { prompts: 24, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, systemTurn: false, seed: 5, ...opts };
  const r = mulberry32(o.seed);
  mkdirSync(o.dir, { recursive: true });
  const { questions, answers, curves } = planPrompts(r, o.prompts, o.epochs);
  let rollouts = 0;
  let bytes = 0;
  for (const { epoch, step, prompts } of trainingSteps(r, o)) {
    const batch: { content: string[]; reward: number; promptTokens: number; responseTokens: number; advantage: number }[] = [];
    for (const p of prompts) {
      const group = batch.length;
      for (let j = 0; j < o.rolloutsPerPrompt; j++) {
        const ok = r() < curves[p].accuracy(epoch);
        const response = mathResponse(r, 60 + Math.floor(120 * r()), ok ? "correct" : "wrong") + (ok ? ` \\boxed{${answers[p]}}` : "");
        const prompt = o.systemTurn ? [SYSTEM_TURN, chatTemplate(questions[p]).slice(SYSTEM_TURN.length)] : [chatTemplate(questions[p])];
        batch.push({ content: [...prompt, response], reward: ok ? 1 : 0, promptTokens: tokens(prompt.join("")), responseTokens: tokens(response), advantage: 0 });
      }
      // GRPO's advantage: the reward minus the group's mean.
      const members = batch.slice(group);
      const mean = members.reduce((a, m) => a + m.reward, 0) / members.length;
      for (const m of members) m.advantage = m.reward - mean;
    }
    const width = Math.max(...batch.map((b) => b.promptTokens + b.responseTokens));
    const lines = batch.map((b, idx) => {
      const len = b.promptTokens + b.responseTokens;
      const at = (fill: (i: number) => number, pad: number) => Array.from({ length: width }, (_, i) => (i < len ? fill(i) : pad));
      const generated = (i: number) => i >= b.promptTokens;
      return JSON.stringify({
        content: [b.content],
        rewards: [b.reward],
        input_lengths: [len],
        token_ids: [at(() => 100 + Math.floor(r() * 150000), 151643)],
        token_loss_mask: [at((i) => (generated(i) ? 1 : 0), 0)],
        sample_loss_mask: [1.0],
        advantages: [at((i) => (generated(i) ? b.advantage : 0), 0)],
        generation_logprobs: [at((i) => (generated(i) ? logprob(r) : 0), 0)],
        prev_logprobs: [at((i) => (generated(i) ? logprob(r) : 0), 0)],
        idx,
      });
    });
    const text = lines.map((l) => `${l}\n`).join("");
    writeFileSync(join(o.dir, `train_data_step${step}.jsonl`), text);
    bytes += Buffer.byteLength(text);
    rollouts += lines.length;
  }
  return { dir: o.dir, steps: o.epochs * o.stepsPerEpoch, rollouts, bytes, questions, answers };
}
