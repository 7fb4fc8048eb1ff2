/**
 * The prompt page's per-epoch table: rollouts, successes, accuracy, mean reward and mean
 * response length, summed over each epoch's steps from the stored per-step aggregates
 * (by visits, each epoch is one step: the prompt's k-th step with rollouts).
 */
import { epochsOfSteps } from "../lim/epochs";
import type { EpochMode, StepCounts } from "../lim/types";

export interface EpochRow {
  epoch: number;
  steps: number[];
  rollouts: number;
  successes: number;
  accuracy: number | null;
  meanReward: number | null;
  meanResponseLength: number | null;
  /** The score used the next epoch's accuracy here. */
  backfilled: boolean;
  /** Beyond the epoch window in force (shown, not scored). */
  outsideWindow: boolean;
}

export function epochRows(
  steps: readonly StepCounts[],
  stepsPerEpoch: number,
  windowEpochs: number,
  epochsInLog: number,
  backfilled: readonly boolean[],
  mode: EpochMode = "steps",
): EpochRow[] {
  const epochOf = epochsOfSteps(steps, mode, stepsPerEpoch);
  const last = Math.max(epochsInLog, windowEpochs, ...epochOf);
  const rows: EpochRow[] = [];
  for (let k = 1; k <= last; k++) {
    rows.push({
      epoch: k,
      steps: [],
      rollouts: 0,
      successes: 0,
      accuracy: null,
      meanReward: null,
      meanResponseLength: null,
      backfilled: backfilled[k - 1] ?? false,
      outsideWindow: k > windowEpochs,
    });
  }
  const rewardSums = new Array<number>(last).fill(0);
  const lengthSums = new Array<number>(last).fill(0);
  steps.forEach((s, i) => {
    const k = epochOf[i];
    if (k < 1) return;
    const row = rows[k - 1];
    row.steps.push(s.step);
    row.rollouts += s.rollouts;
    row.successes += s.successes;
    rewardSums[k - 1] += s.rewardSum;
    lengthSums[k - 1] += s.responseLengthSum;
  });
  for (const row of rows) {
    if (row.rollouts === 0) continue;
    row.accuracy = row.successes / row.rollouts;
    row.meanReward = rewardSums[row.epoch - 1] / row.rollouts;
    row.meanResponseLength = lengthSums[row.epoch - 1] / row.rollouts;
  }
  return rows;
}
