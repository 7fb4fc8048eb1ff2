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
