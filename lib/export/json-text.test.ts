import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seededRandom } from "../db/test-db";
import { indentJson } from "./json-indent";
import { JsonNumber, parseTyped, toPlain } from "./json-typed";

/** A seeded random JSON value: nested objects and arrays, empty ones, escapes, odd keys. */
function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.35) {
    const leaves = [null, true, false, 0, -12, 3.25, 1e-7, "", "plain", 'q"uote\\back\nline', "caf\u00e9 ✓ \u2028", "{[,:]}"];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  const n = Math.floor(rand() * 4);
  if (r < 0.65) return Array.from({ length: n }, () => randomValue(rand, depth + 1));
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [["a", "b c", "1", 'k"', "ü"][i], randomValue(rand, depth + 1)]));
}

describe("JSON text kept as written", () => {
  it("re-indents minified JSON exactly as JSON.stringify(value, null, 4) (Python's json.dump indent=4)", () => {
    const rand = seededRandom(42);
    for (let k = 0; k < 500; k++) {
      const v = randomValue(rand, 0);
      assert.equal(indentJson(JSON.stringify(v), "    ", 0), JSON.stringify(v, null, 4));
    }
    // White space outside strings in the input is ignored; inside strings it is kept.
    assert.equal(indentJson('{ "a" : [ ], "b": " x " }', "  ", 0), '{\n  "a": [],\n  "b": " x "\n}');
  });

  it("parses numbers with their spelling and objects with their key order", () => {
    const v = parseTyped('{"b":1.0,"2":9007199254740993,"a":[1e3,-0,"s\\u00e9"],"n":null}');
    assert.ok(v instanceof Map);
    assert.deepEqual([...v.keys()], ["b", "2", "a", "n"]);
    const b = v.get("b") as JsonNumber;
    assert.equal(b.text, "1.0");
    assert.equal(b.isInteger, false);
    assert.equal((v.get("2") as JsonNumber).isInteger, true);
    assert.equal(BigInt((v.get("2") as JsonNumber).text), 9007199254740993n);
    assert.deepEqual(toPlain(v), { b: 1, 2: 9007199254740992, a: [1000, -0, "sé"], n: null });
  });

  it("agrees with JSON.parse on random values", () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 500; k++) {
      const text = JSON.stringify(randomValue(rand, 0));
      assert.deepEqual(toPlain(parseTyped(text)), JSON.parse(text));
    }
    assert.throws(() => parseTyped('{"a":1'), /invalid JSON at byte/);
  });
});
