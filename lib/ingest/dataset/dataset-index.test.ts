import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DatasetIndex } from "./dataset-index";
import { matchPrompts } from "./match-prompts";
import type { DatasetRow } from "./dataset-rows";
import { encodePromptKeys, PromptKeyTable } from "../scan/prompt-keys";

/** A run's key table holding these (trimmed) prompts, in this order. */
function runKeys(prompts: string[]): PromptKeyTable {
  const t = new PromptKeyTable();
  const keys = encodePromptKeys(prompts);
  for (let i = 0; i < prompts.length; i++) t.ordinalOf(keys, keys.bytes, i);
  return t;
}

const rows = (prompts: string[]): DatasetRow[] => prompts.map((prompt, rowIndex) => ({ rowIndex, prompt, json: "{}" }));

const LOG = ["What is 2 + 2?", "Solve 3x = 12.", "déjà vu 🙂", "only in the log", "Name a prime."];
const DATASET = ["Name a prime.", "not in the log", "What is 2 + 2?", "a\ud800b", "What is 2 + 2?", "déjà vu 🙂", "not in the log", "Solve 3x = 12.", "a\ud800b", "last"];

describe("a dataset index that refers to the run's keys", () => {
  test("answers every question as an index with its own copy does, and adds nothing to the run's keys", () => {
    const run = runKeys(LOG);
    const shared = new DatasetIndex(run);
    const own = new DatasetIndex();
    for (const ix of [shared, own]) {
      ix.add(rows(DATASET).slice(0, 4));
      ix.add(rows(DATASET).slice(4));
    }
    assert.equal(run.size, LOG.length, "no dataset prompt went into the run's table");
    assert.deepEqual([shared.rows, shared.prompts], [own.rows, own.prompts]);
    assert.deepEqual(shared.questions(), own.questions());
    assert.deepEqual(shared.questions(), ["Name a prime.", "not in the log", "What is 2 + 2?", "a\ud800b", "déjà vu 🙂", "Solve 3x = 12.", "last"]);
    for (const p of [...LOG, ...DATASET, "absent", "a\ufffdb"]) {
      assert.equal(shared.entryOf(p), own.entryOf(p), p);
      assert.equal(shared.firstRow(p), own.firstRow(p), p);
    }
    const matched = new Uint8Array(shared.prompts);
    matched[shared.entryOf("What is 2 + 2?")] = 1;
    assert.equal(shared.unseenRowsExcept(matched), own.unseenRowsExcept(matched));
    assert.equal(shared.unseenRowsExcept(matched), 8, "every repeat of the other prompts");
  });

  test("a run key's entry is known without a lookup: the entry its bytes find, or -1", () => {
    const run = runKeys(LOG);
    const ix = new DatasetIndex(run);
    ix.add(rows(DATASET));
    run.forEachKey((bytes, start, end, hash, ordinal) => assert.equal(ix.entryOfRunKey(ordinal), ix.entryOfBytes(bytes, start, end, hash), LOG[ordinal]));
    assert.equal(ix.entryOfRunKey(LOG.indexOf("only in the log")), -1);
    assert.equal(new DatasetIndex().entryOfRunKey(0), undefined, "an index of its own has none");
  });

  test("the log's prompts match the same rows, stored as the same texts", () => {
    const logged = [...LOG, "<s>Solve 3x = 12.</s>", "<s>not in the log</s>", "<s>absent</s>"];
    const shared = new DatasetIndex(runKeys(logged));
    const own = new DatasetIndex();
    shared.add(rows(DATASET));
    own.add(rows(DATASET));
    const a = matchPrompts(logged, logged, shared, { byId: false });
    const b = matchPrompts(logged, logged, own, { byId: false });
    assert.deepEqual(a, b);
    assert.deepEqual(a.rows, [2, 7, 5, null, 0, 7, 1, null]);
    assert.equal(a.templates.length, 1, "the template is learned as before");
  });
});
