import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import { computeLim, computeLimColumns, sampleScore } from "./lim-score";
import { epochAccuracies } from "./epoch-accuracies";
import { blocksFromPrompts, columnsFromBlocks, countedForPages, narrowest, promptStepCounts, rolloutTotals, visitCounts } from "./run-columns";
import { addReward, decodeStepCounts, encodeStepAggregates } from "./step-aggregates";
import { decodeStepBlock, encodeStepBlock } from "./step-block-bytes";
import type { StepAggregate } from "./types";

/** A deterministic spread of prompts, steps (step 0 and gaps included) and three reward values. */
function spread(prompts: number, lastStep: number): StepAggregate[][] {
  return Array.from({ length: prompts }, (_, i) => {
    const aggs: StepAggregate[] = [];
    for (let step = 0; step <= lastStep; step++) {
      if ((i * 7 + step * 3) % 5 === 0) continue;
      const agg: StepAggregate = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] };
      for (let r = 0; r < 1 + ((i + step) % 4); r++) addReward(agg, [1, -0.5, -1][(i * step + r) % 3], 10 + r);
      aggs.push(agg);
    }
    return aggs;
  });
}

describe("run columns: a run stored step by step", () => {
  const prompts = spread(60, 11);
  const blocks = blocksFromPrompts(prompts);

  it("survive the trip through bytes exactly, sums included", () => {
    for (const b of blocks) {
      const { counts, sums } = encodeStepBlock(b);
      assert.deepEqual(decodeStepBlock(counts, sums), b);
      const noSums = decodeStepBlock(counts);
      assert.deepEqual(noSums.ordinal, b.ordinal);
      assert.ok(noSums.rewardSum.every(Number.isNaN), "sums not read are NaN, never a made-up zero");
    }
  });

  it("refuse ordinals out of order and bytes of the wrong size", () => {
    const b = { ...blocks[1], ordinal: Uint32Array.from(blocks[1].ordinal).reverse() };
    assert.throws(() => encodeStepBlock(b), /ascending/);
    const { counts } = encodeStepBlock(blocks[1]);
    assert.throws(() => decodeStepBlock(counts.subarray(0, counts.length - 4)), /expected/);
  });

  it("give each prompt its own steps back, with the same counts as its per-prompt bytes", () => {
    const cols = columnsFromBlocks(prompts.length, blocks);
    prompts.forEach((aggs, i) => {
      for (const rule of ["equals", "at-least"] as const) {
        assert.deepEqual(promptStepCounts(cols, i, -0.5, rule), decodeStepCounts(encodeStepAggregates(aggs), -0.5, rule), `prompt ${i} ${rule}`);
      }
    });
    assert.deepEqual([...rolloutTotals(cols)], prompts.map((aggs) => aggs.reduce((n, a) => n + a.rollouts, 0)));
    assert.deepEqual([...visitCounts(cols)], prompts.map((aggs) => aggs.filter((a) => a.rollouts > 0).length));
  });

  it("score exactly as the per-prompt reference, by steps and by visits, for any success reward", () => {
    const cols = columnsFromBlocks(prompts.length, blocks, false);
    for (const epochMode of ["steps", "visits"] as const) {
      for (const successReward of [1, -0.5]) {
        for (const successRule of ["equals", "at-least"] as const) {
          const p = { stepsPerEpoch: 3, maxEpochs: null, successReward, epochMode, successRule };
          const ref = computeLim(prompts.map((a) => decodeStepCounts(encodeStepAggregates(a), successReward, successRule)), p, 11);
          const got = computeLimColumns(cols, p, 11);
          assert.deepEqual(got, ref, `${epochMode} ${successReward} ${successRule}`);
          assert.ok(Array.from({ length: got.prompts }, (_, i) => sampleScore(got, i)).some((s) => s.score !== null));
        }
      }
    }
  });

  it("score a run of more prompts than one slice of sums holds exactly as the per-prompt reference", () => {
    // 6 epochs of 2 steps: sums are kept for 10,922 prompts at a time, so 25,000 take three slices.
    const many = spread(25_000, 12);
    const cols = columnsFromBlocks(many.length, blocksFromPrompts(many), false);
    for (const successRule of ["equals", "at-least"] as const) {
      const p = { stepsPerEpoch: 2, maxEpochs: null, successReward: -0.5, successRule };
      const ref = computeLim(many.map((a) => decodeStepCounts(encodeStepAggregates(a), -0.5, successRule)), p, 12);
      assert.deepEqual(computeLimColumns(cols, p, 12), ref, successRule);
    }
  });

  it("counted for a page, give the same per-step counts, and refuse another success reward or a re-score", () => {
    const cols = columnsFromBlocks(prompts.length, blocks);
    for (const rule of ["equals", "at-least"] as const) {
      const page = countedForPages(cols, -0.5, rule);
      prompts.forEach((_, i) => assert.deepEqual(promptStepCounts(page, i, -0.5, rule), promptStepCounts(cols, i, -0.5, rule)));
      assert.throws(() => promptStepCounts(page, 0, 1, rule), /counted for success reward -0.5/);
      assert.throws(() => epochAccuracies(page, -0.5, rule, 3, 3), /no reward histograms/);
    }
  });
});

test("narrowest keeps every value exactly, in the smallest type that can", () => {
  const cases: [number[], string][] = [
    [[0, 3, 255], "Uint8Array"],
    [[0, 256], "Uint16Array"],
    [[70_000, 1], "Uint32Array"],
    [[2 ** 32], "Float32Array"],
    [[0.5, 3, -2, NaN], "Float32Array"],
    [[-0, 1], "Float32Array"],
    [[0.1], "Float64Array"],
    [[2 ** 24 + 1, 0.5], "Float64Array"],
    [[], "Uint8Array"],
  ];
  for (const [values, type] of cases) {
    const got = narrowest(values);
    assert.equal(got.constructor.name, type, JSON.stringify(values));
    assert.ok(values.every((v, i) => Object.is(got[i], v)), JSON.stringify(values));
  }
});

test("the columns a prompt's page keeps give its numbers exactly as the full columns do", () => {
  const prompts = Array.from({ length: 40 }, (_, p) =>
    Array.from({ length: 6 }, (_, k) => ({ step: k + 1, rollouts: 4 + (p % 3) * 200, rewardSum: p % 2 ? (k * 0.37) % 1 : k, responseLengthSum: 100 + p * k, rewards: [{ reward: 0, count: 2 }, { reward: 1, count: 2 + (p % 3) * 200 }] })),
  );
  const full = columnsFromBlocks(40, blocksFromPrompts(prompts));
  const page = countedForPages(full, 1, "equals");
  assert.notEqual(page.rollouts.BYTES_PER_ELEMENT, 4);
  for (let p = 0; p < 40; p++) {
    assert.deepEqual(promptStepCounts(page, p, 1, "equals"), promptStepCounts(full, p, 1, "equals"));
    // The sums as written, though loaded block by block into narrow columns that widened on the way.
    assert.deepEqual(
      promptStepCounts(full, p, 1, "equals").map((s) => [s.rewardSum, s.responseLengthSum]),
      prompts[p].map((a) => [a.rewardSum, a.responseLengthSum]),
    );
  }
  assert.equal(full.rewardSum?.constructor.name, "Float64Array");
  assert.equal(full.lengthSum?.constructor.name, "Uint16Array");
});
