import assert from "node:assert/strict";
import { test } from "node:test";
import { promptSnippet } from "./prompt-text";
import { textRank } from "./table-order";
import { inBatches } from "./prompt-batches";
import { snippetRank } from "./text-order";

test("the server's text order, built in slices, is textRank of the snippets the table shows", async () => {
  let seed = 9;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = "abAB  \n$é";
  for (const [n, slice] of [
    [0, 4],
    [1, 4],
    [7, 3],
    [1000, 16],
    [1000, 999],
    [3000, 50],
  ]) {
    const texts = Array.from({ length: n }, () => Array.from({ length: Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
    texts.push("<|im_start|>user\nB question<|im_end|>", "b question");
    let pauses = 0;
    const got = await snippetRank(inBatches(texts, 5), { slice, pause: async () => void pauses++ });
    assert.deepEqual([...got], [...textRank(texts.map((t) => promptSnippet(t)))], `${n} texts, slices of ${slice}`);
    assert.equal(got[texts.length - 1], got[texts.length - 2]); // the same question, templated or not
    if (n > slice) assert.ok(pauses > 0);
  }
});

test("the byte keys order as strings do, past the basic plane and among surrogates", async () => {
  // U+FF5E sorts after a surrogate pair in code-unit order (and before it by code point).
  const texts = ["\uff5e", "\ud83d\ude00", "\ud83d", "\ude00 x", "é", "e", "E", "~", "\u07ff", "\u0800", "a\u0000", "a", "", "ÉCOLE", "école"];
  const got = await snippetRank([texts]);
  assert.deepEqual([...got], [...textRank(texts.map((t) => promptSnippet(t)))]);
});
