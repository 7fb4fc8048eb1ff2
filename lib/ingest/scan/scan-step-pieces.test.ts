import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { IngestError } from "../errors";
import { tempDir } from "../test-helpers";
import type { PackedStepBatch } from "./pack-step-batch";
import { scanOpenRlhfStepPacked } from "./scan-openrlhf-step";
import { StepFileScanner } from "./scan-step-pieces";

const opts = { step: 1, file: "step_1.json", successReward: 1, keepExamples: 2 };
const dir = tempDir("lim-pieces-");
after(dir.cleanup);
let files = 0;

function fileOf(text: string | Buffer): string {
  const f = path.join(dir.dir, `step_${++files}.json`);
  writeFileSync(f, text);
  return f;
}

/** Everything a batch carries, as plain values (the buffers it came in are reused). */
function contents(b: PackedStepBatch) {
  const arr = (a: ArrayLike<number> | undefined) => (a ? Array.from(a) : a);
  const c = b.candidates;
  const raw = b.exampleBytes ? Array.from({ length: c.length }, (_, i) => Buffer.from(b.exampleBytes!).toString("latin1", c.rawStart[i], c.rawEnd[i])) : [];
  return {
    bytes: b.bytes,
    rollouts: b.rollouts,
    keys: Buffer.from(b.keys.bytes).toString("latin1"),
    ends: arr(b.keys.ends),
    hash: arr(b.keys.hash),
    agg: Object.fromEntries(Object.entries(b.agg).map(([k, v]) => [k, arr(v as ArrayLike<number>)])),
    candidates: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === "number" ? v : arr(v as ArrayLike<number>)])),
    raw,
  };
}

function whole(text: string | Buffer, o = opts) {
  return scanOpenRlhfStepPacked(Buffer.from(text), o);
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected an IngestError, got ${e}`);
    return e.message;
  }
  return "no error";
}

/** A step of `n` rollouts whose prompts and responses mix ASCII, multi-byte text, escapes and white space. */
function stepText(n: number, seed: number, indent = 4): string {
  let x = seed;
  const rnd = (k: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % k);
  const words = ["sum", "é", "∑", "😀", "\\n", '\\"', "\\u00e9", "  ", "x".repeat(40)];
  const text = (len: number) => Array.from({ length: len }, () => words[rnd(words.length)]).join("");
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const prompt = `q${rnd(12)} ${text(rnd(6))}`;
    const response = text(rnd(30));
    const reward = ["1.0", "0", "-0.5", "1", "0.25"][rnd(5)];
    rows.push(`{"prompt": "${prompt}", "response": "${response}", "reward": ${reward}, "response_length": ${rnd(900)}, "other": [1, {"a": "}]"}]}`);
  }
  const pad = " ".repeat(indent);
  return `[\n${pad}${rows.join(`,\n${pad}`)}\n]\n`;
}

describe("scanning a step file in pieces", () => {
  for (const piece of [7, 64, 1000, 1 << 16]) {
    test(`gives the whole-file scan's batch byte for byte (pieces of ${piece} bytes)`, () => {
      const scanner = new StepFileScanner(piece);
      let small = 0;
      for (const [n, seed, keep] of [[1, 1, 2], [40, 2, 2], [300, 3, 1], [300, 4, 0], [2000, 5, 2]]) {
        const text = stepText(n, seed, seed % 2 ? 4 : 0);
        const o = { ...opts, keepExamples: keep };
        if (Buffer.byteLength(text) <= piece) small++;
        assert.deepEqual(contents(scanner.scan(fileOf(text), o)), contents(whole(text, o)), `${n} rollouts, seed ${seed}`);
      }
      assert.equal(scanner.readWhole, small, "files larger than a piece are read in pieces");
    });
  }

  test("reads a byte order mark, an empty array and white space across pieces as the whole-file scan does", () => {
    const scanner = new StepFileScanner(16);
    for (const text of ["\ufeff" + stepText(30, 9), "[" + " ".repeat(100) + "]" + "\n".repeat(50), `[${" ".repeat(40)}${stepText(3, 3).slice(1)}`]) {
      assert.deepEqual(contents(scanner.scan(fileOf(text), opts)), contents(whole(text)));
    }
    assert.equal(scanner.readWhole, 0);
  });

  test("refuses a bad file with the whole-file scan's error", () => {
    const good = stepText(200, 7);
    const at = Math.floor(good.length / 2);
    const bad: (string | Buffer)[] = [
      good.slice(0, -3), // cut short
      `${good}x`, // after the array
      good.replace("},", "}"), // a missing comma
      good.replace('"reward"', '"rewards"'), // a missing field
      Buffer.concat([Buffer.from(good.slice(0, at)), Buffer.from([0xff]), Buffer.from(good.slice(at))]), // not UTF-8
      Buffer.from(good, "utf16le"),
      "{}",
      " ".repeat(100),
    ];
    const scanner = new StepFileScanner(32);
    for (const text of bad) {
      const expected = errorOf(() => whole(text));
      assert.notEqual(expected, "no error");
      assert.equal(errorOf(() => scanner.scan(fileOf(text), opts)), expected);
    }
  });
});
