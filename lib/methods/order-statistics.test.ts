import assert from "node:assert/strict";
import { it } from "node:test";
import { definedValues, percentileInPlace, selectKth } from "./order-statistics";

it("finds the k-th smallest as a sort would, duplicates and all", () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const n of [1, 2, 3, 10, 101, 1000]) {
    const values = Float64Array.from({ length: n }, () => Math.floor(rand() * 6) / 5);
    const sorted = values.slice().sort();
    for (const k of [0, n >> 1, n - 1]) {
      const a = values.slice();
      assert.equal(selectKth(a, k), sorted[k], `n ${n} k ${k}`);
      assert.ok(a.subarray(0, k).every((v) => v <= a[k]) && a.subarray(k + 1).every((v) => v >= a[k]));
    }
  }
});

it("takes percentiles as numpy's default (linear interpolation between closest ranks)", () => {
  const p = (xs: number[], q: number) => percentileInPlace(Float64Array.from(xs), q);
  assert.ok(Math.abs(p([3, 0, 2, 1], 67) - 2.01) < 1e-12); // np.percentile([0, 1, 2, 3], 67)
  assert.equal(p([5], 67), 5);
  assert.ok(Number.isNaN(p([], 67)));
  assert.equal(p([2, 0, 1], 100), 2);
  assert.equal(p([0, 0, 0, 1], 50), 0);
  assert.deepEqual(Array.from(definedValues(Float64Array.from([1, NaN, 2]))), [1, 2]);
});
