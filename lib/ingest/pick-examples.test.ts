import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EpochExamplePicker } from "./pick-examples";
import { batchFromRecords } from "./record";

/** One step's batch from [prompt, reward] pairs; responses name their step and position. */
function step(n: number, rows: [string, number][], keep: number) {
  return batchFromRecords(
    rows.map(([prompt, reward], i) => ({ prompt, reward, responseLength: 10, response: `s${n}#${i}` })),
    { step: n, file: `step_${n}.json`, successReward: 1, keepExamples: keep, bytes: 0 },
  );
}

/** Runs steps of one epoch through a picker; returns prompt -> kept responses. */
function pick(keep: number, steps: [string, number][][]): Record<string, string[]> {
  const p = new EpochExamplePicker(keep);
  steps.forEach((rows, i) => p.add(step(i + 1, rows, keep), 1));
  const out: Record<string, string[]> = {};
  for (const e of p.flush()) (out[e.candidate.prompt] ??= []).push(p.text(e));
  return out;
}

describe("examples kept per prompt and epoch", () => {
  test("default 2: a success and a failure where both exist, in log order, across steps", () => {
    const got = pick(2, [
      [["a", -0.5], ["a", -1], ["b", 1], ["b", 1], ["c", -1]],
      [["a", -0.5], ["a", 1], ["b", 1], ["c", 1], ["c", -1]],
    ]);
    assert.deepEqual(got, { a: ["s1#0", "s2#1"], b: ["s1#2", "s1#3"], c: ["s1#4", "s2#3"] });
  });
  test("only one kind: the first K", () => {
    assert.deepEqual(pick(2, [[["a", 0], ["a", 0], ["a", 0]]]), { a: ["s1#0", "s1#1"] });
    assert.deepEqual(pick(3, [[["a", 1]], [["a", 1], ["a", 1], ["a", 1]]]), { a: ["s1#0", "s2#0", "s2#1"] });
  });
  test("K = 3 with both kinds: the pair, then the next rollout in log order", () => {
    assert.deepEqual(pick(3, [[["a", 0], ["a", 0], ["a", 0], ["a", 1], ["a", 0]]]), { a: ["s1#0", "s1#1", "s1#3"] });
  });
  test("K = 1: the first rollout", () => {
    assert.deepEqual(pick(1, [[["a", 0], ["a", 1]]]), { a: ["s1#0"] });
  });
  test("K = 0 keeps nothing", () => {
    assert.deepEqual(pick(0, [[["a", 0], ["a", 1]]]), {});
  });
  test("a new epoch must be flushed first; flushing starts the next epoch empty", () => {
    const p = new EpochExamplePicker(2);
    p.add(step(1, [["a", 1]], 2), 1);
    assert.equal(p.endsEpoch(1), false);
    assert.equal(p.endsEpoch(2), true);
    assert.throws(() => p.add(step(2, [["a", 0]], 2), 2), /flush/);
    assert.equal(p.flush().length, 1);
    p.add(step(2, [["a", 0]], 2), 2);
    assert.deepEqual(
      p.flush().map((e) => [e.from.step, e.from.epoch, p.text(e)]),
      [[2, 2, "s2#0"]],
    );
  });
});
