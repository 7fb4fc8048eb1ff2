import assert from "node:assert/strict";
import { it } from "node:test";
import { countSelected, isSelected, selectIndices } from "./select";

it("selects inclusively at the threshold, as the published script", () => {
  assert.equal(isSelected(0.6, 0.6), true);
  assert.equal(isSelected(0.5999999999, 0.6), false);
  assert.equal(isSelected(null, -Infinity), false);
  assert.deepEqual(selectIndices([0.6, null, 0.7, 0.59], 0.6), [0, 2]);
  assert.equal(countSelected([0.6, 0.6, null], 0.6), 2);
});
