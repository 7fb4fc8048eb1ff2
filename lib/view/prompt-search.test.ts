import assert from "node:assert/strict";
import { test } from "node:test";
import { inBatches } from "./prompt-batches";
import { buildSearchIndex, searchMask, searchPrompts } from "./prompt-search";
import { promptQuestion } from "./prompt-text";
import { matchQuery } from "./table-order";

const texts = [
  "Beta problem",
  "alpha PROBLEM",
  "Gamma",
  "",
  "<|im_start|>system\nPlease reason step by step.<|im_end|>\n<|im_start|>user\nFind the hypotenuse θ.<|im_end|>\n<|im_start|>assistant\n",
  "ΣΙΓΜΑ and the hypotenuse",
  "line one\nline two",
];

test("the server's search finds what matchQuery finds, over each prompt's question", async () => {
  // Pages of a few bytes: most prompts have a page of their own, some share one.
  const index = await buildSearchIndex(inBatches(texts, 2), { pageBytes: 24 });
  assert.ok(index.pages.length > 2);
  const questions = texts.map(promptQuestion);
  for (const q of ["problem", "PROBLEM bet", "hypotenuse", "θ", "σιγμα", "reason", "one two", "e\nl", "a", "zzz", "  ", "line one", "gamma gamma", "problem alpha beta"]) {
    assert.deepEqual(await searchMask(index, q), matchQuery(questions, q), q);
  }
  // A chat template is not the question: its words do not match.
  assert.deepEqual([...((await searchPrompts(index, "reason")) ?? [])], []);
  assert.equal(await searchPrompts(index, " \t"), null);
});

test("random texts and queries agree with matchQuery, matches never span two prompts", async () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = "abcAB é\u00c9x";
  const many = Array.from({ length: 2000 }, () => Array.from({ length: Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
  let pauses = 0;
  const index = await buildSearchIndex(inBatches(many, 128), { pageBytes: 256, batchesPerTurn: 2, pause: async () => void pauses++ });
  assert.ok(index.pages.length > 10 && pauses > 0);
  const questions = many.map(promptQuestion);
  for (let i = 0; i < 200; i++) {
    const q = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    assert.deepEqual(await searchMask(index, q), matchQuery(questions, q), JSON.stringify(q));
  }
});

test("an empty run has nothing to find", async () => {
  const index = await buildSearchIndex([]);
  assert.equal(index.prompts, 0);
  assert.deepEqual([...((await searchPrompts(index, "x")) ?? [1])], []);
});
