import assert from "node:assert/strict";
import { test } from "node:test";
import { stringLiteral } from "./json-bytes";

/** stringLiteral over a buffer holding `literal` between two other bytes. */
const at = (literal: string) => {
  const buf = Buffer.from(` ${literal} `, "utf8");
  return stringLiteral(buf, 1, buf.length - 2);
};

test("a kept response is stored as the log spelled it when that is valid JSON", () => {
  for (const literal of [`""`, `"x = 2"`, `"\\\\frac{1}{2} \\" \\/ \\n \\t é ∫"`, `"\\u00e9 \\ud83d\\ude00 \\ud800"`]) {
    assert.equal(at(literal), literal);
    assert.equal(JSON.parse(at(literal)), JSON.parse(literal));
  }
});

test("raw control characters are escaped, so the stored text is always JSON", () => {
  const out = at(`"a\tb\nc"`);
  assert.equal(out, JSON.stringify("a\tb\nc"));
});

test("an invalid escape is an error, as when the response is decoded", () => {
  assert.throws(() => at(`"bad \\x escape"`), /invalid string/);
  assert.throws(() => at(`"bad \\u12G4"`), /invalid string/);
});
