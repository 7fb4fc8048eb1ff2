import assert from "node:assert/strict";
import { it } from "node:test";
import { isSeed, mulberry32, uniformDraws } from "./rand";

it("mulberry32 gives the published sequence and doubles with 53 bits", () => {
  const next = mulberry32(0);
  assert.deepEqual([next(), next(), next(), next()], [1144304738, 1416247, 958946056, 627933444]);
  const one = mulberry32(1);
  assert.deepEqual([one(), one()], [2693262067, 11749833]);
  // ((1144304738 >>> 5) * 2^26 + (1416247 >>> 6)) / 2^53
  assert.equal(uniformDraws(0, 1)[0], ((1144304738 >>> 5) * 67108864 + (1416247 >>> 6)) / 2 ** 53);
  assert.deepEqual(Array.from(uniformDraws(1, 2)), [0.6270739361847618, 0.5274470447082144]);
  assert.ok(isSeed(0) && isSeed(4294967295) && !isSeed(-1) && !isSeed(1.5) && !isSeed(2 ** 32));
});
