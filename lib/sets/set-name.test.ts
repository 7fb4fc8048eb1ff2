import assert from "node:assert/strict";
import { test } from "node:test";
import { setNameProblem } from "./errors";

test("a set's name may read as a title, but holds no control or bidi characters", () => {
  assert.equal(setNameProblem("LIMR top 1,389 (7B)"), null);
  for (const bad of ["", " padded", "a\nb", "a\u0000b", "a\u202eb", "a\u2066b", "a\u200bb"]) assert.ok(setNameProblem(bad), JSON.stringify(bad));
});
