import assert from "node:assert/strict";
import { test } from "node:test";
import { flips, joinCounts, joinRuns } from "../compare/join-runs";
import { decodeCompare, encodeCompare, CompareFormatError } from "./compare-bytes";
import { rasterizeScatter, scatterDomain, scatterPixel, type ScatterColors } from "./scatter-raster";

const join = () =>
  joinRuns(
    { keys: ["a", "b", "c", "d", null], scores: [0.9, 0.1, NaN, -0.4, 0.5], selected: [1, 0, 0, 0, 1] },
    { keys: ["d", "c", "b", "a", "e"], scores: [0.7, 0.2, 0.8, 0.95], selected: [1, 0, 1, 1] },
  );

test("the join survives the binary body unchanged, and its counts and flips are the library's", () => {
  const j = join();
  const summary = { a: "A", b: "B", joined: j.count, spearman: joinCounts(j).spearman, both_selected: 1, only_a_selected: 0, only_b_selected: 2, a_selected: 2, b_selected: 3, unjoined_a: j.unjoinedA, unjoined_b: j.unjoinedB };
  const bytes = encodeCompare({ header: { summary, key: "text", threshold: 0.6 }, joined: j });
  const back = decodeCompare(bytes.slice().buffer);
  assert.deepEqual(back.header, { summary, key: "text", threshold: 0.6 });
  for (const k of ["scoresA", "scoresB", "ordinalsA", "ordinalsB", "selected"] as const) assert.deepEqual([...back.joined[k]], [...j[k]]);
  assert.equal(back.joined.unjoinedA, j.unjoinedA);
  assert.deepEqual(joinCounts(back.joined), joinCounts(j));
  assert.deepEqual([...flips(back.joined)], [...flips(j)]);
  // Not 8-byte aligned: copied, same values.
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.deepEqual([...decodeCompare(shifted.subarray(3)).joined.scoresB], [...j.scoresB]);
  assert.throws(() => decodeCompare(new Uint8Array(16)), CompareFormatError);
  assert.throws(() => decodeCompare(bytes.subarray(0, bytes.length - 8)), CompareFormatError);
});

test("an empty join encodes and decodes", () => {
  const j = joinRuns({ keys: [], scores: [], selected: [] }, { keys: [], scores: [], selected: [] });
  const summary = { a: "A", b: "B", joined: 0, spearman: null, both_selected: 0, only_a_selected: 0, only_b_selected: 0, a_selected: 0, b_selected: 0, unjoined_a: 0, unjoined_b: 0 };
  assert.equal(decodeCompare(encodeCompare({ header: { summary, key: "id", threshold: 0.5 }, joined: j })).joined.count, 0);
});

const COLORS: ScatterColors = { background: [255, 255, 255], neither: [100, 100, 100], onlyA: [200, 0, 0], onlyB: [0, 0, 200], both: [0, 150, 0] };

test("the scatter puts each point in its pixel, a flip's colour over a crowd's, B's score up", () => {
  assert.deepEqual(scatterDomain([0.2, -0.3], [0.5, -2]), [-1, 1]);
  assert.deepEqual(scatterDomain([0.2], [0.5]), [0, 1]);
  assert.equal(scatterPixel(0, [0, 1], 11), 0);
  assert.equal(scatterPixel(1, [0, 1], 11), 10);
  assert.equal(scatterPixel(1, [0, 1], 11, true), 0);
  assert.equal(scatterPixel(-5, [0, 1], 11), 0);
  const W = 11;
  const H = 11;
  // Three points at (1, 0): two selected by neither, one by A only; one at (0, 1) by both; a NaN is skipped.
  const px = rasterizeScatter([1, 1, 1, 0, NaN], [0, 0, 0, 1, 0.5], [0, 0, 1, 3, 3], [0, 1], W, H, COLORS);
  const at = (x: number, y: number) => [...px.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];
  assert.equal(at(10, 10)[0] > at(10, 10)[2], true, "A-only red wins the bottom-right pixel");
  assert.equal(at(0, 0)[1] > at(0, 0)[0], true, "both green at the top left");
  assert.deepEqual(at(5, 5), [255, 255, 255, 255]);
  let painted = 0;
  for (let i = 0; i < W * H; i++) if (px[i * 4] !== 255 || px[i * 4 + 1] !== 255 || px[i * 4 + 2] !== 255) painted++;
  assert.equal(painted, 2);
});
