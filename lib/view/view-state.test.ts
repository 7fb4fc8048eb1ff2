import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_VIEW, parseViewState, viewStateQuery } from "./view-state";

test("a link round-trips every piece of the view", () => {
  const state = { ...DEFAULT_VIEW, threshold: 0.45, sort: "first" as const, desc: false, filter: "excluded" as const, q: "x^2", prompt: 17, stepsPerEpoch: 4, maxEpochs: 10, successReward: 0.5 };
  const q = viewStateQuery(state);
  assert.deepEqual(parseViewState(new URLSearchParams(q.slice(1))), state);
});

test("defaults are left out and bad values fall back", () => {
  assert.equal(viewStateQuery(DEFAULT_VIEW), "");
  const s = parseViewState({ threshold: "abc", sort: "nope.asc", filter: "weird", prompt: "-3", stepsPerEpoch: "0" });
  assert.deepEqual(s, DEFAULT_VIEW);
});
