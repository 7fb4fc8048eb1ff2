import assert from "node:assert/strict";
import { test } from "node:test";
import { promptQuestion, promptSnippet, splitMath } from "./prompt-text";

test("a chat-templated prompt shows only the user's question", () => {
  const t = "<|im_start|>system\nReason step by step.<|im_end|>\n<|im_start|>user\nFind $x$ if $x^2=4$.<|im_end|>\n<|im_start|>assistant\n";
  assert.equal(promptQuestion(t), "Find $x$ if $x^2=4$.");
  assert.equal(promptQuestion("  plain question  "), "plain question");
});

test("snippets are one line and cut with an ellipsis", () => {
  assert.equal(promptSnippet("Find all x that satisfy\n\\[5x - 1 < 7\\]"), "Find all x that satisfy \\[5x - 1 < 7\\]");
  assert.equal(promptSnippet("abcdef", 4), "abc…");
});

test("math segments: inline, display, escaped dollars and unterminated math", () => {
  assert.deepEqual(splitMath("Let $a$ be \\[x^2\\] and $$y$$."), [
    { kind: "text", value: "Let " },
    { kind: "math", value: "a", display: false },
    { kind: "text", value: " be " },
    { kind: "math", value: "x^2", display: true },
    { kind: "text", value: " and " },
    { kind: "math", value: "y", display: true },
    { kind: "text", value: "." },
  ]);
  assert.deepEqual(splitMath("costs \\$5"), [{ kind: "text", value: "costs $5" }]);
  assert.deepEqual(splitMath("cut $x + "), [{ kind: "text", value: "cut $x + " }]);
  assert.deepEqual(splitMath("\\(a\\)"), [{ kind: "math", value: "a", display: false }]);
});

test("a snippet collapses white space exactly as one replace over the question does", () => {
  const old = (text: string, max = 240) => {
    const q = promptQuestion(text);
    const flat = (q.length > max * 2 ? q.slice(0, max * 2) : q).replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const parts = ["a", "b", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "x y", "<|im_start|>user\n", "<|im_end|>"];
  for (let i = 0; i < 3000; i++) {
    const t = Array.from({ length: Math.floor(rand() * 40) }, () => parts[Math.floor(rand() * parts.length)]).join("");
    const max = 3 + Math.floor(rand() * 30);
    assert.equal(promptSnippet(t, max), old(t, max), JSON.stringify(t));
  }
});
