import assert from "node:assert/strict";
import { test } from "node:test";
import { encodePromptKeys, PromptKeyTable } from "./prompt-keys";

test("a key table numbers keys by first appearance and finds every one across its pages", () => {
  const t = new PromptKeyTable();
  // ~22 MB of keys and one longer than the first page: keys sit on two pages.
  const texts = Array.from({ length: 100_000 }, (_, i) => `prompt ${i} ∑ ${"x".repeat(200 + (i % 17))}`);
  texts.splice(50_000, 0, "y".repeat(17 << 20));
  for (let from = 0; from < texts.length; from += 10_000) {
    const keys = encodePromptKeys(texts.slice(from, from + 10_000));
    for (let i = 0; i < keys.ends.length; i++) assert.equal(t.ordinalOf(keys, keys.bytes, i), -(from + i) - 1);
  }
  assert.equal(t.size, texts.length);
  const again = encodePromptKeys(texts);
  for (let i = 0; i < texts.length; i += 997) assert.equal(t.ordinalOf(again, again.bytes, i), i);
  assert.equal(t.key(50_000), texts[50_000]);
  assert.equal(t.key(99_999), texts[99_999]);
  let n = 0;
  t.forEachKey((bytes, start, end, _hash, ordinal) => {
    if (ordinal % 4999 === 0) assert.equal(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", start, end), texts[ordinal]);
    assert.equal(ordinal, n++);
  });
  assert.equal(n, texts.length);
  const missing = encodePromptKeys(["prompt 5 ∑ x"]);
  assert.equal(t.find(missing.bytes, 0, missing.ends[0], missing.hash[0]), -1);
});
