import assert from "node:assert/strict";
import { test } from "node:test";
import { exportFileName, parseScoreQuery, QueryError } from "./route-query";

test("export queries carry threshold and overrides", () => {
  const q = parseScoreQuery(new URLSearchParams("threshold=0.45&stepsPerEpoch=8&maxEpochs=21&successReward=1&epochs=visits&withScores=true&format=parquet"));
  assert.deepEqual(q, { threshold: 0.45, overrides: { stepsPerEpoch: 8, maxEpochs: 21, successReward: 1, epochMode: "visits" }, withScores: true, format: "parquet" });
  assert.deepEqual(parseScoreQuery(new URLSearchParams("")), { threshold: 0.6, overrides: {}, withScores: false, format: "jsonl" });
});

test("bad fields are named", () => {
  assert.throws(() => parseScoreQuery(new URLSearchParams("threshold=abc")), (e: Error) => e instanceof QueryError && /threshold must be a number/.test(e.message));
  assert.throws(() => parseScoreQuery(new URLSearchParams("stepsPerEpoch=2.5")), /stepsPerEpoch must be a positive integer/);
  assert.throws(() => parseScoreQuery(new URLSearchParams("treshold=1")), /unknown query field "treshold"/);
  assert.throws(() => parseScoreQuery(new URLSearchParams("epochs=visit")), /epochs must be "steps" or "visits"/);
  assert.throws(() => parseScoreQuery(new URLSearchParams("format=csv")), /format must be jsonl, json, parquet/);
});

test("download names follow the run and the threshold", () => {
  assert.equal(exportFileName("math8k", 0.6), "math8k-lim-0.6.jsonl");
  assert.equal(exportFileName("a b/c", 0.45), "a_b_c-lim-0.45.jsonl");
  assert.equal(exportFileName("math8k", 0.6, "parquet"), "math8k-lim-0.6.parquet");
});
