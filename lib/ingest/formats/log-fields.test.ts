import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { valueAt } from "./field-path";
import { booleanOf, mustBeNumber, numberOf, numberOfText } from "./log-fields";
import { promptsOf } from "../scan/pack-step-batch";
import { readAll } from "./reader-checks";
import { tempDir } from "../test-helpers";

const tmp = tempDir("lim-fields-");
after(() => tmp.cleanup());

function write(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Rollouts per prompt key over all batches. */
function rolloutsByKey(batches: Awaited<ReturnType<typeof readAll>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of batches) for (const [i, p] of promptsOf(b).entries()) out[p] = (out[p] ?? 0) + b.promptRollouts[i];
  return out;
}

describe("--id-field and --success-field in the trainers' formats", () => {
  test("verl: --id-field names a logged key, --success-field wins over acc", async () => {
    const rows = [
      { input: "<t>Q one</t>", output: "a", score: 1, acc: true, index: 7, correct: false },
      { input: "<t> Q one</t>", output: "b", score: 0, acc: false, index: 7, correct: true },
      { input: "<t>Q two</t>", output: "c", score: 1, acc: true, index: 8, correct: true },
    ];
    const dir = write(path.join(tmp.dir, "verl"), "1.jsonl", rows.map((r) => JSON.stringify(r) + "\n").join(""));
    const byId = await readAll("verl", dir, { fields: { id: "index" } });
    assert.deepEqual(rolloutsByKey(byId), { "7": 2, "8": 1 });
    const [plain] = await readAll("verl", dir, { fields: { success: "correct" }, keepExamples: 3 });
    assert.deepEqual([...plain.candidates.success], [0, 1, 1]);
    await assert.rejects(readAll("verl", dir, { fields: { id: "extra_info.index" } }), /1\.jsonl:1: field "extra_info\.index" is missing \(--id-field; the row has: input, output, score, acc, index, correct\)/);
  });

  test("openrlhf: ids and success flags are read record by record", async () => {
    const rows = [
      { prompt: "Q", response: "a", reward: 1, response_length: 3, uid: 1, ok: 0 },
      { prompt: "Q again", response: "b", reward: 0, response_length: 4, uid: 1, ok: 1 },
    ];
    const dir = write(path.join(tmp.dir, "openrlhf"), "step_1.json", JSON.stringify(rows, null, 4));
    const [b] = await readAll("openrlhf", dir, { fields: { id: "uid", success: "ok" }, keepExamples: 2 });
    assert.deepEqual(promptsOf(b), ["1"]);
    assert.deepEqual([...b.candidates.success], [0, 1]);
    assert.deepEqual([...b.candidates.responseLength], [3, 4]);
  });

  test("values as logs spell them: numbers and flags as text only in CSV", () => {
    assert.equal(numberOf(3n), 3);
    assert.equal(numberOf(0.5), 0.5);
    assert.equal(numberOf("0.5"), null, "a typed format's numeric text is text");
    assert.equal(numberOfText("0.5"), 0.5, "a CSV cell is text");
    assert.equal(numberOfText(""), null);
    assert.equal(numberOfText("NaN"), null);
    assert.match(mustBeNumber("1.0"), /got a string \("1\.0"\); it is a number written as text: write it without quotes/);
    assert.doesNotMatch(mustBeNumber("high"), /written as text/);
    assert.equal(booleanOf("True"), null);
    assert.equal(booleanOf("True", true), true);
    assert.equal(booleanOf(0), false);
    assert.equal(booleanOf("yes", true), null);
    assert.equal(valueAt({ "a.b": 1, a: { b: 2 } }, "a.b"), 1, "a column named with a dot wins");
    assert.equal(valueAt({ content: ["x", "y"] }, "content.1"), "y");
    assert.equal(valueAt({ a: null }, "a.b"), undefined);
  });
});
