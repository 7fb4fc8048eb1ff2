import assert from "node:assert/strict";
import { test } from "node:test";
import { blocksFromPrompts, columnsFromBlocks, promptStepCounts, rolloutTotals } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";
import { packStepBatch, unpackAggregates } from "./scan/pack-step-batch";
import { batchFromRecords } from "./scan/record";
import { RunAggregator } from "./run-aggregator";

test("packing step by step gives exactly the blocks of all steps' aggregates; ordinals follow first appearance", () => {
  const agg = new RunAggregator();
  const rows: Record<number, [string, number, number][]> = {
    1: [["b", 1, 10], ["a", 0.5, 4], ["b", -1, 7]],
    2: [["c", 1, 1]],
    4: [["a", 1, 3], ["a", 1, 5], ["c", -0.5, 2], ["b", 1, 9]],
  };
  const batches = Object.entries(rows).map(([s, r]) =>
    packStepBatch(batchFromRecords(
      r.map(([prompt, reward, responseLength]) => ({ prompt, reward, responseLength, response: "" })),
      { step: Number(s), file: `step_${s}.json`, successReward: 1, keepExamples: 0, bytes: 100 },
    )),
  );
  const blocks = batches.map((b) => agg.add(b));
  const samples = [...agg.samples((p) => (p === "a" ? 7 : null))].flat();
  const columns = columnsFromBlocks(samples.length, blocks);
  assert.deepEqual(
    samples.map((s) => [s.ordinal, s.prompt, rolloutTotals(columns)[s.ordinal], s.datasetRowIndex]),
    [
      [0, "b", 3, null],
      [1, "a", 3, 7],
      [2, "c", 2, null],
    ],
  );
  // Per prompt (ordinal order), every step's aggregate as the scanner packed it.
  const perPrompt: StepAggregate[][] = samples.map((s) => batches.flatMap((b) => unpackAggregates(b).get(s.prompt) ?? []));
  assert.deepEqual(blocks, blocksFromPrompts(perPrompt));
  assert.deepEqual(promptStepCounts(columns, 1, 1, "equals")[1], { step: 4, rollouts: 2, successes: 2, rewardSum: 2, responseLengthSum: 8 });
  assert.deepEqual(perPrompt[1][1], { step: 4, rollouts: 2, rewardSum: 2, responseLengthSum: 8, rewards: [{ reward: 1, count: 2 }] });
  assert.deepEqual([agg.steps, agg.firstStep, agg.lastStep, agg.rollouts, agg.bytes], [3, 1, 4, 8, 300]);
  assert.deepEqual(agg.promptsPerStep, [2, 1, 3]);
});

test("keyed by id: one aggregate per id, shown with the first text logged for it", () => {
  const agg = new RunAggregator();
  const step = (s: number, r: [string, string, number][]) =>
    packStepBatch(batchFromRecords(
      r.map(([id, prompt, reward]) => ({ id, prompt, reward, responseLength: 1, response: "" })),
      { step: s, file: `${s}.jsonl`, successReward: 1, keepExamples: 0, bytes: 10 },
    ));
  const blocks = [agg.add(step(1, [["7", " Q ", 1], ["8", "Q", 0], ["7", "Q reworded", 0]])), agg.add(step(2, [["8", "other text", 1], ["9", "R", 1]]))];
  assert.equal(agg.keyedById, true);
  assert.deepEqual(agg.keysAndTexts(), { keys: ["7", "8", "9"], texts: ["Q", "Q", "R"] });
  const samples = [...agg.samples(() => null, 1000, (key) => `question ${key}`)].flat();
  const rollouts = rolloutTotals(columnsFromBlocks(samples.length, blocks));
  assert.deepEqual(samples.map((s) => [s.prompt, rollouts[s.ordinal]]), [["question 7", 2], ["question 8", 2], ["question 9", 1]]);
});
