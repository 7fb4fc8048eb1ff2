import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { logShape, methodWarnings } from "./warnings";
import { limOf, runOf } from "./test-helpers";

const warn = (rows: (number | null)[][], methods?: Parameters<typeof methodWarnings>[2], rollouts = 4) => {
  const { lim, cols } = runOf(rows, rollouts);
  return methodWarnings(lim, logShape(cols), methods);
};

describe("warnings when a log cannot support a method", () => {
  it("say nothing about a healthy run", () => {
    assert.deepEqual(warn([[0, 0.5, 1], [1, 0.5, 0.25], [0.5, 0.5, 0.75]]), []);
  });

  it("a log of one step: say so and what to ingest", () => {
    const w = warn([[0.5], [1]]);
    assert.equal(w.length, 2, w.join("\n"));
    assert.match(w[0], /one training step/);
    assert.match(w[0], /ingest every step/);
    assert.match(w[1], /LINEAR needs at least 3 epochs/);
  });

  it("one or two epochs: LIMR used 21; LINEAR's warning only when LINEAR is shown", () => {
    const one = methodWarnings(limOf([[0.5], [1]]), { steps: 8, heavyPrompts: 0, mostRolloutsInAStep: 4 }, ["lim"]);
    assert.deepEqual(one.length, 1);
    assert.match(one[0], /^Only 1 epoch is counted: LIM reduces to the distance from the mean accuracy.*LIMR used 21.*--steps-per-epoch/);
    const two = warn([[0, 1], [1, 0.5]], ["linear"]);
    assert.deepEqual(two, ["LINEAR needs at least 3 epochs and this scoring counts 2, so its score is undefined for every prompt; log more epochs or pass a smaller --steps-per-epoch."]);
    assert.deepEqual(warn([[0, 1], [1, 0.5]], ["pass-rate", "rand"]), []);
  });

  it("a dump that starts mid-run: epoch 1 back-filled from epoch 2 for every prompt, every trajectory flat", () => {
    const w = warn([[null, 0.5, 0.5], [null, 1, 1], [null, 0, 0]]);
    assert.equal(w.length, 1);
    assert.match(w[0], /same in every epoch after back-fill, and epoch 1 was back-filled from epoch 2 for every prompt/);
    assert.match(w[0], /Ingest the log from its first step/);
    assert.match(warn([[0.5, 0.5, 0.5], [0, 0, 0]])[0], /^Every prompt's accuracy is the same in every epoch after back-fill; /);
  });

  it("an all-ones run, and a run where every prompt misses an epoch", () => {
    assert.match(warn([[1, 1, 1], [1, 1, 1]])[0], /LIM's score is undefined.*--success-reward/);
    assert.match(warn([[1, 1, null], [0, null, null]])[0], /No prompt has an accuracy in every epoch/);
  });

  it("thousands of rollouts under one prompt text: many prompts under one text, use --id-field", () => {
    const w = warn([[0.5, 0.25, 1], [0, 0.5, 1]], undefined, 1000);
    assert.equal(w.length, 1);
    assert.match(w[0], /^2 prompts have more than 512 rollouts in one step \(up to 1,000\).*vision-language.*--id-field/);
  });
});
