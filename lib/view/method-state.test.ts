import assert from "node:assert/strict";
import { test } from "node:test";
import { cliCommand, shellWord } from "./cli-command";
import { DEFAULT_METHOD_VIEW, parseMethodState, selectionFields } from "./method-state";
import { exportFileName, parseMethodChoice } from "./route-query";
import { referenceAnswer } from "./reference-answer";
import { DEFAULT_VIEW, parseViewState, viewStateQuery } from "./view-state";

test("method, rule and focus round-trip through a link; defaults stay out", () => {
  const state = { ...DEFAULT_VIEW, method: "rand" as const, top: 500, seed: 7, category: "learned" as const, answers: true };
  const q = viewStateQuery(state);
  assert.equal(q, "?method=rand&top=500&seed=7&category=learned&answers=1");
  assert.deepEqual(parseViewState(new URLSearchParams(q.slice(1))), state);
  const cart = { ...DEFAULT_VIEW, method: "cartography" as const, region: "hard-to-learn" as const, kept: ["lim", "pass-rate"] as ["lim", "pass-rate"], inRegion: "ambiguous" as const };
  assert.deepEqual(parseViewState(new URLSearchParams(viewStateQuery(cart).slice(1))), cart);
  assert.equal(viewStateQuery(DEFAULT_VIEW), "");
});

test("rules a method cannot take, and unknown names, fall back leniently", () => {
  const get = (q: string) => parseMethodState((k) => new URLSearchParams(q).get(k) ?? undefined);
  assert.deepEqual(get("method=nope&top=-1&region=ambiguous&kept=lim,lim&seed=x"), DEFAULT_METHOD_VIEW);
  assert.equal(get("method=cartography&top=5").top, null, "cartography selects by region");
  assert.equal(get("min=0.5").min, null, "LIM's threshold is `threshold`");
  assert.equal(get("method=linear&min=0.8").min, 0.8);
});

test("the CLI's flags and the export route's fields select what the page selects", () => {
  const view = { ...DEFAULT_VIEW, method: "variance" as const, maxEpochs: 6 };
  assert.equal(cliCommand("score", "my run", view, { kind: "top", n: 1389 }), "npx lim score 'my run' --max-epochs 6 --method variance --top 1389");
  assert.deepEqual(selectionFields(DEFAULT_VIEW, { kind: "threshold", threshold: 0.45 }), [["threshold", "0.45"]]);
  assert.deepEqual(selectionFields({ ...DEFAULT_VIEW, method: "pass-rate" }, { kind: "between", low: 0, high: 1 }), [["method", "pass-rate"]]);
  assert.deepEqual(parseMethodChoice(new URLSearchParams("method=variance&top=1389")), { method: "variance", rule: { kind: "top", n: 1389 }, seed: undefined, limThreshold: 0.6 });
  assert.deepEqual(parseMethodChoice(new URLSearchParams("threshold=0.45")), { method: "lim", rule: { kind: "threshold", threshold: 0.45 }, seed: undefined, limThreshold: 0.45 });
  assert.deepEqual(parseMethodChoice(new URLSearchParams("method=cartography&region=hard-to-learn")).rule, { kind: "region", region: "hard-to-learn" });
  assert.equal(parseMethodChoice(new URLSearchParams("method=rand&seed=3")).seed, 3);
  for (const bad of ["method=nope", "threshold=0.5&top=3", "region=ambiguous", "method=cartography&top=3", "method=cartography&region=x", "seed=3", "method=rand&top=2.5"]) {
    assert.throws(() => parseMethodChoice(new URLSearchParams(bad)), bad);
  }
  assert.equal(exportFileName("r", 0.6, "jsonl", "variance", { kind: "top", n: 50 }), "r-variance-top-50.jsonl");
  assert.equal(exportFileName("r", 0.6, "json", "lim", { kind: "threshold", threshold: 0.45 }), "r-lim-0.45.json");
  assert.equal(shellWord("it's"), `'it'\\''s'`);
});

test("the reference answer: the first answer field a dataset names", () => {
  assert.equal(referenceAnswer('{"prompt":"q","answer":"118"}'), "118");
  assert.equal(referenceAnswer('{"prompt":[],"reward_model":{"ground_truth":"7","style":"rule"}}'), "7");
  assert.equal(referenceAnswer('{"gts":["a",1]}'), '["a",1]');
  assert.equal(referenceAnswer('{"prompt":"q"}'), null);
  assert.equal(referenceAnswer("not json"), null);
});
