import assert from "node:assert/strict";
import { test } from "node:test";
import { computeLim } from "../lim/lim-score";
import type { LimResult, StepCounts } from "../lim/types";
import { mulberry32 } from "../methods/rand";
import { categorize } from "../methods/categories";
import { defaultRule, selectPrompts } from "../methods/select";
import { methodScores } from "../methods/method-scores";
import { METHOD_NAMES } from "../methods/methods";
import { packAccuracies } from "./packed-array";
import { decodeRunView, encodeRunView, type RunViewBody } from "./run-view-bytes";
import { limResultOfView } from "./view-lim-result";

/** A seeded run with gaps (steps without rollouts), odd rollout counts (accuracies like 2/7) and flat prompts. */
function serverLim(prompts: number, seed: number): LimResult {
  const next = mulberry32(seed);
  const samples: StepCounts[][] = [];
  for (let p = 0; p < prompts; p++) {
    const steps: StepCounts[] = [];
    const skill = (next() % 1000) / 1000;
    for (let step = 1; step <= 24; step++) {
      if (next() % 9 === 0) continue; // a gap, back-filled or excluding
      const rollouts = 1 + (next() % 7);
      let successes = 0;
      for (let r = 0; r < rollouts; r++) if ((next() % 1000) / 1000 < skill * (0.5 + step / 48)) successes++;
      steps.push({ step, rollouts, successes, rewardSum: successes, responseLengthSum: 0 });
    }
    samples.push(steps);
  }
  return computeLim(samples, { stepsPerEpoch: 3, maxEpochs: null, successReward: 1 }, 24);
}

function viewOf(lim: LimResult): RunViewBody {
  const packed = packAccuracies(lim.accuracy);
  return {
    header: {
      params: { ...lim.params, successRule: "equals", successField: null, epochsInLog: lim.epochsInLog, visits: lim.visits },
      epochs: lim.epochs,
      prompts: lim.prompts,
      average: lim.average,
      q25: [],
      q75: [],
      logShape: null,
    } as unknown as RunViewBody["header"],
    columns: { scores: lim.scores, exclusion: lim.exclusion, rollouts: new Uint32Array(lim.prompts), accuracy: packed.index, accuracyValues: packed.values },
  };
}

test("the browser's LimResult is the server's, bit for bit, in everything the methods read", () => {
  const lim = serverLim(3000, 7);
  const got = limResultOfView(decodeRunView(encodeRunView(viewOf(lim))))!;
  assert.equal(got.epochs, lim.epochs);
  for (let i = 0; i < lim.filled.length; i++) assert.ok(Object.is(got.filled[i], lim.filled[i]) && Object.is(got.accuracy[i], lim.accuracy[i]), `value ${i}`);
  assert.deepEqual([...got.backfilled], [...lim.backfilled]);
  assert.equal(got.denominator, lim.denominator);
  assert.deepEqual([...categorize(got)], [...categorize(lim)]);
});

test("every method selects the same prompts in the browser as on the server, at its default rule and at top N", () => {
  const lim = serverLim(3000, 11);
  const got = limResultOfView(decodeRunView(encodeRunView(viewOf(lim))))!;
  for (const method of METHOD_NAMES) {
    const server = methodScores(lim, method);
    const browser = methodScores(got, method);
    for (let p = 0; p < lim.prompts; p++) assert.ok(Object.is(browser.score[p], server.score[p]), `${method} score ${p}`);
    for (const rule of [defaultRule(method, lim), ...(method === "cartography" ? [] : [{ kind: "top" as const, n: 777 }])]) {
      assert.deepEqual(selectPrompts(browser, rule).mask, selectPrompts(server, rule).mask, `${method} ${rule.kind}`);
    }
  }
});

test("a run made from published scores has no trajectories for the methods", () => {
  const body = viewOf(serverLim(10, 1));
  body.header.epochs = 0;
  body.columns.accuracy = new Uint16Array(0);
  assert.equal(limResultOfView(body), null);
});
