import type { RunColumns } from "../lim/run-columns";
import type { LimResult } from "../lim/types";
import { METHOD_NAMES, type MethodName } from "./methods";
import { hasTrajectory, isConstant } from "./trajectory";

/** What the stored log looked like, beyond the trajectories: its steps and rollouts per prompt and step. */
export interface LogShape {
  steps: number;
  /** Prompts with more than HEAVY_ROLLOUTS rollouts in some step, and the most any prompt had in one step. */
  heavyPrompts: number;
  mostRolloutsInAStep: number;
}

/**
 * Rollouts per prompt and step above this suggest many prompts under one text: GRPO-style
 * runs sample 4 to 256 responses per prompt, a vision-language run whose image is not in
 * the text puts thousands under one.
 */
export const HEAVY_ROLLOUTS = 512;
/** LIMR's run, for scale. */
const LIMR_EPOCHS = 21;

export function logShape(cols: RunColumns): LogShape {
  const heavy = new Uint8Array(cols.promptCount);
  let heavyPrompts = 0;
  let most = 0;
  for (let i = 0; i < cols.rollouts.length; i++) {
    const n = cols.rollouts[i];
    if (n > most) most = n;
    if (n > HEAVY_ROLLOUTS && !heavy[cols.ordinal[i]]) {
      heavy[cols.ordinal[i]] = 1;
      heavyPrompts++;
    }
  }
  return { steps: cols.stepNumber.length, heavyPrompts, mostRolloutsInAStep: most };
}

const SHAPE_METHODS: readonly MethodName[] = ["lim", "variance", "learnability", "cartography"];

/**
 * Plain sentences, each saying what in the log keeps the scores from meaning much and what
 * would fix it; empty when there is nothing to say. `methods`: the methods whose numbers are
 * shown (warnings about others are left out).
 */
export function methodWarnings(lim: LimResult, shape: LogShape | null, methods: readonly MethodName[] = METHOD_NAMES): string[] {
  const out: string[] = [];
  const K = lim.epochs;
  const uses = (m: readonly MethodName[]) => m.some((x) => methods.includes(x));
  if (shape && shape.steps === 1) {
    out.push(
      "The log holds one training step, so every prompt has one accuracy and no method can see learning over epochs; " +
        "a rollout dump copied mid-run often looks like this: ingest every step the trainer wrote (for verl, the whole trainer.rollout_data_dir).",
    );
  } else if (K > 0 && K < 3 && uses(SHAPE_METHODS)) {
    const what = K === 1 ? "LIM reduces to the distance from the mean accuracy, and variance, learnability and cartography see one point per prompt" : "LIM, variance, learnability and cartography rest on 2 points per prompt";
    out.push(
      `Only ${K} epoch${K === 1 ? " is" : "s are"} counted: ${what} (LIMR used ${LIMR_EPOCHS}); ` +
        "log more epochs, pass a smaller --steps-per-epoch, or count epochs by visits (--epochs visits) if prompts recur within an epoch.",
    );
  }
  if (K > 0 && K < 3 && methods.includes("linear")) {
    out.push(`LINEAR needs at least 3 epochs and this scoring counts ${K}, so its score is undefined for every prompt; log more epochs or pass a smaller --steps-per-epoch.`);
  }
  out.push(...trajectoryWarnings(lim));
  if (shape && shape.heavyPrompts > 0) {
    out.push(
      `${shape.heavyPrompts.toLocaleString("en-US")} prompt${shape.heavyPrompts === 1 ? " has" : "s have"} more than ${HEAVY_ROLLOUTS} rollouts in one step (up to ${shape.mostRolloutsInAStep.toLocaleString("en-US")}): ` +
        "many prompts probably share one text, as in a vision-language run whose image is not in the prompt, and their accuracies mix different problems; " +
        "ingest with --id-field naming a per-prompt id (such as the dataset's index).",
    );
  }
  return out;
}

/** What the trajectories themselves say: none complete, all solved, or all flat. */
function trajectoryWarnings(lim: LimResult): string[] {
  const K = lim.epochs;
  let complete = 0;
  let flat = 0;
  let firstFilled = 0;
  for (let p = 0; p < lim.prompts; p++) {
    if (!hasTrajectory(lim, p)) continue;
    complete++;
    if (isConstant(lim.filled, p * K, K)) flat++;
    if (lim.backfilled[p * K]) firstFilled++;
  }
  if (lim.prompts > 0 && complete === 0) {
    return [
      "No prompt has an accuracy in every epoch counted, so every prompt is excluded; " +
        "lower --max-epochs, check --steps-per-epoch, or count epochs by visits (--epochs visits) for a run that samples prompts unevenly.",
    ];
  }
  if (complete > 0 && lim.denominator === 0) {
    return [
      "Every prompt is solved in every epoch: LIM's score is undefined (the average curve is 1) and every other method sees flat trajectories; " +
        "check the success reward (--success-reward), or train on harder prompts.",
    ];
  }
  if (K < 2 || complete === 0 || flat < complete) return [];
  const start = firstFilled === complete ? ", and epoch 1 was back-filled from epoch 2 for every prompt: the log seems to start after epoch 1 (a dump copied mid-run)" : "";
  return [
    `Every prompt's accuracy is the same in every epoch after back-fill${start}; ` +
      "LIM, variance, learnability, linear and the categories cannot tell prompts apart. Ingest the log from its first step, and check --steps-per-epoch.",
  ];
}
