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

test("a raw control character is refused, as JSON.parse refuses it, naming the character", () => {
  assert.throws(() => at(`"a\tb"`), /raw control character U\+0009 \(tab\), which a JSON string must write escaped \(\\t\)/);
  assert.throws(() => at(`"a\u0001b"`), /U\+0001.*\(\\u0001\)/);
});

test("invalid UTF-8 in a string is refused, not read as U+FFFD", () => {
  const buf = Buffer.concat([Buffer.from(` "a`), Buffer.from([0xc3, 0x28]), Buffer.from(`" `)]);
  assert.throws(() => stringLiteral(buf, 1, buf.length - 2), /not valid UTF-8/);
});

test("an invalid escape is an error, as when the response is decoded", () => {
  assert.throws(() => at(`"bad \\x escape"`), /invalid string/);
  assert.throws(() => at(`"bad \\u12G4"`), /invalid string/);
});
