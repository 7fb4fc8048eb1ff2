import assert from "node:assert/strict";
import { test } from "node:test";
import { isPlainLiteral, stringLiteral } from "./json-bytes";

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

test("a literal is plain exactly when JSON reads it: every placement, escape and control character, four bytes at a time or one", () => {
  // Pieces that are plain or not alone and across a 4-byte word's edge, at every alignment.
  const pieces = ["a", "é", "𝑥", "\\n", '\\"', "\\\\", "\\/", "\\u00e9", "\\uD83D", "\\u12", "\\uZZZZ", "\\q", "\\x", "\t", "\u0001", "\u001f", " ", "~", "\\b\\f\\r\\t"];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  let plain = 0;
  for (let n = 0; n < 4000; n++) {
    let content = "";
    const count = Math.floor(next() * 24);
    for (let k = 0; k < count; k++) content += next() < 0.7 ? "abcdefgh".slice(0, 1 + Math.floor(next() * 8)) : pieces[Math.floor(next() * pieces.length)];
    const lead = Math.floor(next() * 8);
    const buf = Buffer.concat([Buffer.alloc(lead, 0x20), Buffer.from(`"${content}"`), Buffer.alloc(Math.floor(next() * 8), 0x5c)]);
    const view = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    let expected = true;
    try {
      JSON.parse(buf.toString("utf8", lead, buf.length - (buf.length - lead - Buffer.byteLength(`"${content}"`))));
    } catch {
      expected = false;
    }
    if (expected) plain++;
    assert.equal(isPlainLiteral(view, lead, lead + Buffer.byteLength(`"${content}"`)), expected, JSON.stringify(content));
  }
  assert.ok(plain > 500 && plain < 3500, `${plain} of 4000 plain: both kinds are tried`);
});
