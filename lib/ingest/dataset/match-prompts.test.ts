import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chatTemplate } from "../../demo/generate-verl";
import { DatasetIndex } from "./dataset-index";
import { IngestError } from "../errors";
import { describeMatch, matchPrompts, type MatchOptions } from "./match-prompts";
import type { DatasetRow } from "./read-dataset";

const QUESTIONS = [
  "What is $2 + 2$?",
  "What is $2 + 2$? Then add 1.", // holds the first question: the longer one must win
  "Solve for $x$: $3x = 12$.",
  "How many primes are below 20?",
  "  Find the area of a circle of radius 3.  ",
  "x",
];

function index(questions: string[], ids?: string[]): DatasetIndex {
  const ix = new DatasetIndex();
  ix.add(questions.map((q, i): DatasetRow => ({ rowIndex: i, prompt: q.trim(), json: "{}", ...(ids && { id: ids[i] }) })));
  return ix;
}

/** Match trimmed log texts (keys are the texts, as when prompts are identified by text). */
function match(texts: string[], ix: DatasetIndex, o: Partial<MatchOptions> = {}) {
  const t = texts.map((x) => x.trim());
  return matchPrompts(t, t, ix, { byId: false, ...o });
}

const QWEN = (q: string) => chatTemplate(q);
const LLAMA = (q: string) => `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${q}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`;

describe("matching logged prompts to dataset questions", () => {
  test("texts UTF-8 cannot tell apart (a lone surrogate, its replacement character) match their own rows only", () => {
    const ix = index(["a\ud800b", "a\ufffdb", "a\ud800b", "plain"]);
    const m = match(["a\ufffdb", "a\ud800b", "a\udc00b"], ix);
    assert.deepEqual(m.rows, [1, 0, null]);
    assert.equal(m.unseenRows, 1, "only the plain row");
    assert.deepEqual([ix.firstRow("a\ud800b"), ix.firstRow("plain"), ix.prompts], [0, 3, 3]);
  });
  test("exact trimmed text first; the rest unmatched when no template fits; unseen rows count every repeat", () => {
    const ix = index([...QUESTIONS, "How many primes are below 20?"]);
    const m = match(["What is $2 + 2$?", " How many primes are below 20?\n", "Not in the dataset"], ix);
    assert.deepEqual([m.exact, m.unmatched, m.templates.length], [2, 1, 0]);
    assert.deepEqual(m.rows, [0, 3, null]);
    assert.deepEqual(m.prompts, ["What is $2 + 2$?", "How many primes are below 20?", "Not in the dataset"]);
    assert.equal(m.unseenRows, 4, "rows 1, 2, 4 and 5; both rows of the primes question were seen");
  });

  test("learns a chat template from the log: every templated prompt becomes its dataset question", () => {
    const ix = index(QUESTIONS);
    const m = match([...QUESTIONS.map(QWEN), "What is $2 + 2$?", QWEN("Not a dataset question")], ix);
    assert.equal(m.templates.length, 1);
    assert.deepEqual(m.templates[0].template, { prefix: QWEN("{q}").split("{q}")[0].trim(), suffix: QWEN("{q}").split("{q}")[1].trim() });
    assert.deepEqual([m.exact, m.templates[0].matched, m.unmatched], [1, 6, 1]);
    assert.deepEqual(m.rows, [0, 1, 2, 3, 4, 5, 0, null]);
    assert.deepEqual(m.prompts.slice(0, 6), QUESTIONS.map((q) => q.trim()));
    assert.equal(m.prompts[7], QWEN("Not a dataset question").trim(), "an unmatched prompt keeps its logged text");
    assert.equal(m.unseenRows, 0);
    assert.match(describeMatch(m, 8, "math.parquet"), /^matched 7 of 8 log prompts to rows of math\.parquet: 1 by exact text, 6 through a template learned from the log \(prefix "<\|im_start\|>system\\nPlease.*….*<\|im_start\|>user", suffix "<\|im_end\|>\\n<\|im_start\|>assistant"\)$/);
  });

  test("learns two templates when the log mixes them", () => {
    const ix = index(QUESTIONS);
    const log = QUESTIONS.flatMap((q, i) => (i % 2 === 0 ? [QWEN(q)] : [LLAMA(q)]));
    const m = match([...log, ...QUESTIONS.map(LLAMA)], ix);
    assert.equal(m.templates.length, 2);
    assert.equal(m.unmatched, 0);
    assert.equal(m.templates.reduce((n, t) => n + t.matched, 0), 12);
  });

  test("does not invent a template from prompts that merely contain a question", () => {
    const ix = index(QUESTIONS);
    const m = match(["Answer x or y", "Tell me x now", "Why x?"], ix);
    assert.deepEqual([m.templates.length, m.unmatched], [0, 3]);
  });

  test("the user's template, as typed in a shell (\\n written as an escape) or with real new lines", () => {
    const ix = index(QUESTIONS);
    const log = QUESTIONS.map(LLAMA);
    for (const template of [LLAMA("{prompt}"), LLAMA("{prompt}").replace(/\n/g, "\\n")]) {
      const m = match(log, ix, { template });
      assert.deepEqual([m.templates.length, m.templates[0].learned, m.templates[0].matched, m.unmatched], [1, false, 6, 0]);
      assert.match(describeMatch(m, 6, "d.json"), /6 through the given template/);
    }
    assert.throws(() => match(log, ix, { template: "no placeholder" }), (e: Error) => e instanceof IngestError && /must contain "\{prompt\}" exactly once/.test(e.message));
  });

  test("templates learned before are reused (a watched run's later prompts)", () => {
    const ix = index(QUESTIONS);
    const first = match(QUESTIONS.slice(0, 3).map(QWEN), ix);
    const later = match([QWEN(QUESTIONS[4])], ix, { known: first.templates.map((t) => t.template) });
    assert.deepEqual([later.templates.length, later.templates[0].matched, later.rows[0]], [1, 1, 4]);
  });

  test("by id: the row with the log's id, whatever the texts", () => {
    const ix = index(QUESTIONS, ["10", "11", "12", "13", "14", "15"]);
    const m = matchPrompts(["12", "99", "10"], [QWEN("anything"), "other", "What is $2 + 2$?"], ix, { byId: true });
    assert.deepEqual([m.byId, m.exact, m.unmatched], [2, 0, 1]);
    assert.deepEqual(m.rows, [2, null, 0]);
    assert.deepEqual(m.prompts, [QUESTIONS[2], "other", QUESTIONS[0]]);
    assert.match(describeMatch(m, 3, "d.parquet", 'log field "index", dataset field "extra_info.index"'), /^matched 2 of 3 log prompts to rows of d\.parquet: 2 by id \(log field "index", dataset field "extra_info\.index"\)$/);
  });
});
