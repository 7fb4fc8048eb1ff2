import assert from "node:assert/strict";
import { test } from "node:test";
import { mulberry32 } from "../methods/rand";
import type { CartographyMap } from "../methods/cartography";
import { buildPointGrid, coordsOf, hexToRgb, nearestPoint, pixelOf, rasterizeMap, type MapColors } from "./cartography-raster";

function randomMap(n: number, seed: number): CartographyMap {
  const next = mulberry32(seed);
  const confidence = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : next() / 2 ** 32));
  const variability = Float64Array.from(confidence, (c) => (c !== c ? NaN : (next() / 2 ** 32) * 0.5));
  return { confidence, variability, region: new Uint8Array(n), ambiguousFrom: 0.3 };
}

test("the nearest point through the grid is the brute-force nearest", () => {
  const map = randomMap(20_000, 3);
  const grid = buildPointGrid(map);
  assert.equal(grid.points.length, [...map.confidence].filter((c) => c === c).length);
  const next = mulberry32(9);
  for (let t = 0; t < 200; t++) {
    const c = next() / 2 ** 32;
    const v = (next() / 2 ** 32) * 0.5;
    let best = -1;
    let bestD = Infinity;
    for (let p = 0; p < map.confidence.length; p++) {
      if (map.confidence[p] !== map.confidence[p]) continue;
      const d = (map.confidence[p] - c) ** 2 + ((map.variability[p] - v) / 0.5) ** 2;
      if (d < bestD) (bestD = d), (best = p);
    }
    assert.equal(nearestPoint(grid, map, c, v, 1), best, `click ${t}`);
  }
  // Nothing within reach of an empty map.
  const empty = randomMap(0, 1);
  assert.equal(nearestPoint(buildPointGrid(empty), empty, 0.5, 0.2), -1);
});

test("the raster: one pixel per place, the selection in its colour, regions behind", () => {
  const colors: MapColors = { ambiguous: [1, 1, 1], easy: [2, 2, 2], hard: [3, 3, 3], point: [100, 100, 100], selected: [200, 0, 0] };
  const map: CartographyMap = { confidence: Float64Array.from([0, 1, 0.25, NaN]), variability: Float64Array.from([0, 0, 0.5, NaN]), region: new Uint8Array(4), ambiguousFrom: 0.4 };
  const W = 5;
  const H = 3;
  const px = rasterizeMap(map, Uint8Array.from([0, 1, 0, 0]), W, H, colors);
  const at = (x: number, y: number) => [...px.subarray((y * W + x) * 4, (y * W + x) * 4 + 3)];
  assert.deepEqual(pixelOf(0, 0, W, H), [0, 2]);
  assert.deepEqual(coordsOf(4, 0, W, H), [1, 0.5]);
  assert.equal(at(4, 2)[0], 200, "the selected prompt in the accent");
  assert.equal(at(0, 2)[0], 100, "an unselected prompt");
  assert.deepEqual(at(2, 1), [2, 2, 2], "no prompt: the easy-to-learn region's shade");
  assert.deepEqual(at(0, 1), [3, 3, 3], "hard-to-learn left of 0.5");
  assert.deepEqual(at(3, 0), [1, 1, 1], "ambiguous above the cut");
  assert.deepEqual(hexToRgb(" #c2410c", [0, 0, 0]), [194, 65, 12]);
  assert.deepEqual(hexToRgb("oklch(1 0 0)", [9, 9, 9]), [9, 9, 9]);
});
