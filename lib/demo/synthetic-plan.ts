import { makeCurve, pickArchetype, type PromptCurve } from "./archetypes";
import { mathAnswer, mathPrompt } from "./math-text";
import { shuffle, type Rng } from "./prng";

/**
 * The plan every synthetic log generator shares: distinct math questions, each with an answer
 * and a learning curve, and a schedule that trains each epoch's prompts in a fresh order split
 * over the epoch's steps. Only the file layout differs between trainers.
 *
 * The order of the draws from `r` is part of the contract: questions, then answers, then
 * curves, then one shuffle at the start of each epoch. Every generated fixture's bytes depend
 * on it, so changing it changes every sample log and the tests' expected numbers.
 */

/** A question not yet in `seen` (and now in it): redraws until the text is new. */
export function newQuestion(r: Rng, seen: Set<string>): string {
  for (;;) {
    const q = mathPrompt(r);
    if (seen.has(q)) continue;
    seen.add(q);
    return q;
  }
}

/** `n` distinct questions: a prompt's text is its identity in a log, so none may repeat. */
export function distinctQuestions(r: Rng, n: number): string[] {
  const seen = new Set<string>();
  return Array.from({ length: n }, () => newQuestion(r, seen));
}

export interface PromptPlan {
  questions: string[];
  answers: string[];
  /** Each prompt's accuracy per epoch; `curves[p].archetype` says which kind of prompt it is. */
  curves: PromptCurve[];
}

export function planPrompts(r: Rng, prompts: number, epochs: number): PromptPlan {
  const questions = distinctQuestions(r, prompts);
  const answers = questions.map(() => mathAnswer(r));
  const curves = questions.map(() => makeCurve(pickArchetype(r), r, epochs));
  return { questions, answers, curves };
}

export interface PlannedStep {
  epoch: number;
  /** 1-based, counted over the whole run. */
  step: number;
  /** Indices of the prompts this step trains, in training order. */
  prompts: number[];
}

export interface Schedule {
  prompts: number;
  epochs: number;
  stepsPerEpoch: number;
  /**
   * Prompts per step. Default: every prompt once per epoch, ceil(prompts / stepsPerEpoch) a step,
   * the last step taking the rest. Fewer leaves some prompts out of an epoch, as in LIMR.
   */
  promptsPerStep?: number;
}

/**
 * The run's steps in order. Each epoch's shuffle draws from `r` when its first step is asked
 * for, so the caller's draws for one step all come before the next epoch's shuffle.
 */
export function* trainingSteps(r: Rng, s: Schedule): Generator<PlannedStep> {
  const perStep = s.promptsPerStep ?? Math.ceil(s.prompts / s.stepsPerEpoch);
  const order = Array.from({ length: s.prompts }, (_, i) => i);
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    shuffle(r, order);
    for (let k = 0; k < s.stepsPerEpoch; k++) {
      yield { epoch, step: (epoch - 1) * s.stepsPerEpoch + k + 1, prompts: order.slice(k * perStep, (k + 1) * perStep) };
    }
  }
}

/** One rollout's outcome: correct with the prompt's accuracy, else wrong, or 1 in 5 times without an answer. */
export function rolloutKind(r: Rng, accuracy: number): "correct" | "wrong" | "format" {
  return r() < accuracy ? "correct" : r() < 0.8 ? "wrong" : "format";
}
