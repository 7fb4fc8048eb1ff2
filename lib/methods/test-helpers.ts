import { computeLimColumns } from "../lim/lim-score";
import { blocksFromPrompts, columnsFromBlocks, type RunColumns } from "../lim/run-columns";
import type { LimResult, StepAggregate } from "../lim/types";

/**
 * A run from per-epoch accuracies written by hand, scored through the real columnar path:
 * one step per epoch, `rollouts` rollouts per prompt and step (reward 1 for a success, 0
 * otherwise); null means the prompt was not sampled in that epoch.
 */
export function runOf(rows: readonly (readonly (number | null)[])[], rollouts = 4): { lim: LimResult; cols: RunColumns } {
  const prompts: StepAggregate[][] = rows.map((row) =>
    row.flatMap((r, k) => {
      if (r === null) return [];
      const wins = r * rollouts;
      if (!Number.isInteger(wins)) throw new Error(`accuracy ${r} is not a multiple of 1/${rollouts}`);
      const rewards = [{ reward: 1, count: wins }, { reward: 0, count: rollouts - wins }].filter((x) => x.count > 0);
      return [{ step: k + 1, rollouts, rewardSum: wins, responseLengthSum: rollouts, rewards }];
    }),
  );
  const lastStep = Math.max(0, ...rows.map((r) => r.length));
  const cols = columnsFromBlocks(rows.length, blocksFromPrompts(prompts));
  return { lim: computeLimColumns(cols, { stepsPerEpoch: 1, maxEpochs: null, successReward: 1 }, lastStep), cols };
}

export const limOf = (rows: readonly (readonly (number | null)[])[], rollouts = 4) => runOf(rows, rollouts).lim;

export const near = (a: number, b: number) => Math.abs(a - b) < 1e-12;
