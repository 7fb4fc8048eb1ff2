import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cartography, REGION_CODES, REGIONS } from "./cartography";
import { limOf, near } from "./test-helpers";

describe("dataset cartography", () => {
  it("maps confidence and variability and cuts ambiguous at the 67th percentile of variability", () => {
    const map = cartography(
      limOf([
        [0, 0], // v 0, c 0: hard-to-learn
        [1, 1], // v 0, c 1: easy-to-learn
        [0, 1], // v 0.5: ambiguous
        [0.5, 0.5], // v 0, c 0.5: easy-to-learn (confidence >= 0.5)
        [0.25, 0.75], // v 0.25: ambiguous
        [0, null], // no region
      ]),
    );
    // sorted variability [0, 0, 0, 0.25, 0.5]: position 4 * 0.67 = 2.68 -> 0.25 * 0.68 = 0.17
    assert.ok(near(map.ambiguousFrom, 0.17));
    assert.deepEqual(Array.from(map.confidence.subarray(0, 5)), [0, 1, 0.5, 0.5, 0.5]);
    assert.deepEqual(Array.from(map.variability.subarray(0, 5)), [0, 0, 0.5, 0, 0.25]);
    assert.deepEqual(Array.from(map.region, (c) => (c === REGION_CODES.none ? "none" : REGIONS[c - 1])), ["hard-to-learn", "easy-to-learn", "ambiguous", "easy-to-learn", "ambiguous", "none"]);
  });
});
