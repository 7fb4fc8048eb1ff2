import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_VIEW, paramsQuery, parseViewState, viewOverrides, viewStateQuery } from "./view-state";

test("a link round-trips every piece of the view", () => {
  const state = { ...DEFAULT_VIEW, threshold: 0.45, sort: "first" as const, desc: false, filter: "excluded" as const, q: "x^2", prompt: 17, stepsPerEpoch: 4, maxEpochs: 10, successReward: 0.5, epochMode: "visits" as const };
  const q = viewStateQuery(state);
  assert.deepEqual(parseViewState(new URLSearchParams(q.slice(1))), state);
});

test("defaults are left out and bad values fall back", () => {
  assert.equal(viewStateQuery(DEFAULT_VIEW), "");
  const s = parseViewState({ threshold: "abc", sort: "nope.asc", filter: "weird", prompt: "-3", stepsPerEpoch: "0", epochs: "visit" });
  assert.deepEqual(s, DEFAULT_VIEW);
});

test("the epoch rule travels as epochs=steps|visits to the page, the data route and scoreRun", () => {
  const view = parseViewState(new URLSearchParams("epochs=visits&maxEpochs=5"));
  assert.equal(view.epochMode, "visits");
  assert.equal(viewStateQuery(view), "?maxEpochs=5&epochs=visits");
  assert.equal(paramsQuery(view).toString(), "maxEpochs=5&epochs=visits");
  assert.deepEqual(viewOverrides(view), { maxEpochs: 5, epochMode: "visits" });
  assert.deepEqual(viewOverrides(DEFAULT_VIEW), {});
});
