import assert from "node:assert/strict";
import { test } from "node:test";
import { accuracyAt, NO_VALUE, quantizeAccuracies } from "./packed-array";

test("accuracies survive the trip to the browser to 1e-4, gaps stay gaps", () => {
  const rows = [
    [0, 0.375, null, 1],
    [1 / 3, null, 0.5, 0.125],
  ];
  const packed = quantizeAccuracies(Float64Array.from(rows.flat(), (v) => v ?? NaN));
  assert.equal(packed.length, 8);
  rows.flat().forEach((v, i) => {
    const got = accuracyAt(packed, i);
    if (v === null) assert.equal(got, null);
    else assert.ok(Math.abs((got as number) - v) <= 5e-5, `${got} vs ${v}`);
  });
});

test("a large run quantises in one pass; no accuracy collides with the gap marker", () => {
  const acc = Float64Array.from({ length: 50_000 * 21 }, (_, i) => (i % 9) / 8);
  const packed = quantizeAccuracies(acc);
  assert.equal(packed.length, 50_000 * 21);
  assert.equal(accuracyAt(packed, 21 * 49_999 + 20), ((21 * 49_999 + 20) % 9) / 8);
  assert.ok(!packed.includes(NO_VALUE));
});
