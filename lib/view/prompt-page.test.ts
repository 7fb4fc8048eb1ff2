import assert from "node:assert/strict";
import { test } from "node:test";
import { datasetFields, examplesByEpoch, foldedRest, foldText, MATH_CHARS, SENT_CHARS } from "./prompt-page";

test("dataset fields keep their order and leave the prompt out", () => {
  const row = { rowIndex: 0, prompt: "p", json: '{"id":"x","prompt":"p","answer":"118","meta":{"a":1}}' };
  assert.deepEqual(datasetFields(row, "prompt"), [
    { key: "id", value: "x" },
    { key: "answer", value: "118" },
    { key: "meta", value: '{"a":1}' },
  ]);
});

test("examples group by epoch under the parameters in force", () => {
  const ex = (step: number) => ({ sampleOrdinal: 0, step, epoch: 1, reward: 1, success: true, responseLength: 3, response: "r" });
  const groups = examplesByEpoch([ex(5), ex(1), ex(2)], 2);
  assert.deepEqual(groups.map((g) => [g.epoch, g.examples.map((e) => e.step)]), [
    [1, [1, 2]],
    [3, [5]],
  ]);
});

test("long text folds at a line break, short text not at all", () => {
  assert.deepEqual(foldText("short"), { head: "short", rest: "" });
  const long = `${"a".repeat(500)}\n${"b".repeat(500)}`;
  const f = foldText(long);
  assert.equal(f.head, "a".repeat(500));
  assert.equal(f.head + f.rest, long);
});

test("a huge folded tail is sent cut to SENT_CHARS, and past MATH_CHARS without math", () => {
  const huge = foldedRest("x".repeat(20_000_000));
  assert.equal(huge.text.length, SENT_CHARS);
  assert.equal(huge.hidden, 20_000_000 - SENT_CHARS);
  assert.equal(huge.math, false);
  assert.deepEqual(foldedRest("$x$ and more"), { text: "$x$ and more", hidden: 0, math: true });
  assert.equal(foldedRest("y".repeat(MATH_CHARS + 1)).math, false);
});
