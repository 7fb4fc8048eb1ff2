import assert from "node:assert/strict";
import { test } from "node:test";
import { accuracyAt, NO_VALUE, packAccuracies, unpackAccuracies } from "./packed-array";

test("accuracies reach the browser bit for bit, gaps stay gaps", () => {
  const rows = [
    [0, 0.375, null, 1],
    [1 / 3, null, 0.5, 0.125],
    [1 / 3 + 1e-16, 2 / 3, 0, 1],
  ];
  const acc = Float64Array.from(rows.flat(), (v) => v ?? NaN);
  const packed = packAccuracies(acc);
  assert.ok(packed.index instanceof Uint16Array);
  assert.equal(packed.index.length, 12);
  rows.flat().forEach((v, i) => assert.ok(Object.is(accuracyAt(packed, i), v), `${accuracyAt(packed, i)} vs ${v}`));
  const back = unpackAccuracies(packed);
  acc.forEach((v, i) => assert.ok(Object.is(back[i], v)));
  // 1/3 and the double next to it stay two values: what a uint16 rounding would merge.
  assert.notEqual(accuracyAt(packed, 4), accuracyAt(packed, 8));
});

test("a large run packs in one pass into a small dictionary", () => {
  const acc = Float64Array.from({ length: 50_000 * 21 }, (_, i) => (i % 9 === 0 ? NaN : (i % 33) / 32));
  const packed = packAccuracies(acc);
  assert.ok(packed.values.length <= 34);
  assert.ok(Number.isNaN(packed.values[NO_VALUE]));
  const back = unpackAccuracies(packed);
  for (let i = 0; i < acc.length; i += 997) assert.ok(Object.is(back[i], acc[i]));
});

test("more distinct values than uint16 can index: uint32 indices, still lossless", () => {
  const acc = Float64Array.from({ length: 70_000 }, (_, i) => i / 70_001);
  const packed = packAccuracies(acc);
  assert.ok(packed.index instanceof Uint32Array);
  assert.deepEqual([...unpackAccuracies(packed)], [...acc]);
});
