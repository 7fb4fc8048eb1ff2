import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { generateRun } from "../../demo/generate-run";
import { IngestError } from "../errors";
import { listStepFiles } from "../formats/list-step-files";
import { readOpenRlhfSteps, startScanPool } from "../formats/read-openrlhf";
import { unpackAggregates } from "./pack-step-batch";
import { scanOpenRlhfStep } from "./scan-openrlhf-step";
import { scanWorkerEntry } from "./worker-entry";
import { canonical, naiveAggregates, rollout, tempDir } from "../test-helpers";
import type { StepAggregate } from "../../lim/types";
import type { StepBatch } from "./record";

const opts = { step: 1, file: "step_1.json", successReward: 1, keepExamples: 2 };
const scan = (text: string, o: Partial<typeof opts> = {}) => scanOpenRlhfStep(Buffer.from(text), { ...opts, ...o });
const scanBuf = (buf: Buffer) => scanOpenRlhfStep(buf, opts);

/** Raw text of the example a batch kept, decoded as ingest does. */
function exampleTexts(b: StepBatch): string[] {
  const bytes = Buffer.from(b.exampleBytes!.buffer, b.exampleBytes!.byteOffset, b.exampleBytes!.byteLength);
  return b.examples.map((c) => c.response ?? (JSON.parse(bytes.toString("utf8", c.rawStart, c.rawEnd)) as string));
}

function errorOf(text: string): IngestError {
  try {
    scan(text);
  } catch (e) {
    assert.ok(e instanceof IngestError, `expected an IngestError, got ${e}`);
    return e;
  }
  assert.fail("expected an error");
}

describe("scanning an OpenRLHF step file", () => {
  const run = tempDir();
  let trainDir = "";
  before(async () => {
    trainDir = (await generateRun({ dir: run.dir, prompts: 300, epochs: 4, stepsPerEpoch: 3, promptsPerStep: 80, rolloutsPerPrompt: 6, seed: 11 })).trainDir;
  });
  after(run.cleanup);

  for (const workers of [0, 2]) {
    test(`counts every prompt and step exactly as a plain JSON.parse does (${workers} workers)`, async () => {
      const naive = naiveAggregates(trainDir);
      const got = new Map<string, StepAggregate[]>();
      const pool = startScanPool(workers);
      try {
        for await (const b of readOpenRlhfSteps(listStepFiles(run.dir).files, { successReward: 1, keepExamples: 0, pool })) {
          for (const [k, a] of unpackAggregates(b)) got.set(k, [...(got.get(k) ?? []), a]);
        }
      } finally {
        await (await pool)?.close();
      }
      assert.equal(got.size, naive.size);
      for (const [k, aggs] of naive) assert.deepEqual(canonical(got.get(k)!), canonical(aggs), k);
    });
  }

  test("scan workers run a plain-JavaScript bundle of the scanner, not the tsx fallback", async () => {
    const entry = await scanWorkerEntry();
    assert.match(entry.pathname, /lim-studio-scan-worker-[0-9a-f]{16}\.mjs$/);
  });

  test("the generated log has prompts with surrounding white space; keys are trimmed", () => {
    const raw = JSON.parse(readFileSync(path.join(trainDir, "step_1.json"), "utf8")) as { prompt: string }[];
    const padded = raw.filter((r) => r.prompt !== r.prompt.trim());
    assert.ok(padded.length > 0, "fixture should contain padded prompts");
    const b = scanOpenRlhfStep(readFileSync(path.join(trainDir, "step_1.json")), opts);
    for (const r of padded) {
      assert.ok(b.aggregates.has(r.prompt.trim()));
      assert.ok(!b.aggregates.has(r.prompt));
    }
  });
});

describe("prompt keys and values", () => {
  test("decodes escapes, \\u sequences and surrogate pairs; trims; first-seen order kept", () => {
    const text = JSON.stringify([
      rollout("  Find $\\frac{1}{2}$ of \"x\"\n", 1),
      rollout("Find $\\frac{1}{2}$ of \"x\"", 0),
      rollout("In 𝔽_7, solve θ ≤ π", 1),
      rollout("  Find $\\frac{1}{2}$ of \"x\"\n", -0.5),
    ]).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const b = scan(text);
    assert.deepEqual(b.firstSeenOrder, ['Find $\\frac{1}{2}$ of "x"', "In 𝔽_7, solve θ ≤ π"]);
    const a = b.aggregates.get('Find $\\frac{1}{2}$ of "x"')!;
    assert.equal(a.rollouts, 3);
    assert.equal(a.rewardSum, 0.5);
    assert.equal(b.rollouts, 4);
  });

  test("other fields of any shape are skipped; a repeated field counts its last value", () => {
    const text = `[{"id": 7, "meta": {"a": [1, 2.5e3, {"b": null}], "c": "}]\\""}, "prompt": "p", "response": "r",
      "reward": 0, "reward": 1.0, "response_length": 3, "ok": true, "\\u0072esponse_length": 4}]`;
    const b = scan(text);
    const a = b.aggregates.get("p")!;
    assert.deepEqual(a.rewards, [{ reward: 1, count: 1 }]);
    assert.equal(a.responseLengthSum, 4);
  });

  test("a byte order mark, an empty array and CRLF line ends are fine", () => {
    assert.equal(scan("\ufeff[]").rollouts, 0);
    assert.equal(scan('[\r\n\t{"prompt":"p","response":"r","reward":-1,"response_length":0}\r\n]\r\n').rollouts, 1);
  });
});

describe("example candidates", () => {
  const rows = [
    rollout("a", -0.5, "a wrong 1"),
    rollout("a", -1, "a format"),
    rollout("a", -0.5, "a wrong 2"),
    rollout("a", 1, 'a right "quoted" \\ \n'),
    rollout("a", 1, "a right 2"),
    rollout("b", 1, "b right"),
  ];
  test("per prompt: the first K rollouts, the first success and the first failure, decoded exactly", () => {
    const b = scan(JSON.stringify(rows, null, 4));
    assert.deepEqual(exampleTexts(b), ["a wrong 1", "a format", 'a right "quoted" \\ \n', "b right"]);
    assert.deepEqual(
      b.examples.map((c) => [c.prompt, c.index, c.reward, c.success, c.responseLength]),
      [
        ["a", 0, -0.5, false, 9],
        ["a", 1, -1, false, 8],
        ["a", 3, 1, true, 20],
        ["b", 5, 1, true, 7],
      ],
    );
  });
  test("keep 0 decodes and copies nothing", () => {
    const b = scan(JSON.stringify(rows), { keepExamples: 0 });
    assert.equal(b.examples.length, 0);
    assert.equal(b.exampleBytes, undefined);
  });
  test("the success reward decides what a success is", () => {
    const b = scan(JSON.stringify(rows), { keepExamples: 1, successReward: -1 });
    assert.deepEqual(exampleTexts(b), ["a wrong 1", "a format", "b right"]);
  });
});

describe("bad step files", () => {
  const ok = '{"prompt": "p", "response": "r", "reward": 1.0, "response_length": 3}';
  const cases: [string, string, RegExp][] = [
    ["not an array", `{"prompt": "p"}`, /byte 0\): malformed JSON: expected a JSON array, found an object/],
    ["missing comma between elements", `[${ok}\n ${ok}]`, /element 0, line 2, column 2 \(byte \d+\): malformed JSON: expected ',' or '\]' after an element/],
    ["missing comma between fields", `[{"prompt": "p" "response": "r"}]`, /element 0, line 1, column 17 \(byte 16\): malformed JSON: expected ',' or '\}'/],
    ["unterminated string", `[{"prompt": "p", "response": "abc\\"}]`, /element 0, .*malformed JSON: unterminated string/],
    ["trailing garbage", `[${ok}] x`, /malformed JSON: unexpected "x" after the array/],
    ["truncated file", `[${ok}, {"prompt": "p", "respo`, /element 1, .*malformed JSON: unterminated string/],
    ["missing reward", `[${ok}, {"prompt": "p", "response": "r", "response_length": 3}]`, /element 1, line 1, column \d+ \(byte \d+\): field "reward": missing field/],
    ["a reward written as text", `[{"prompt": "p", "response": "r", "reward": "1.0", "response_length": 3}]`, /field "reward": expected a JSON number, found a string; it is a number written as text/],
    ["a raw tab in a prompt", `[${ok}, {"prompt": "p\tq", "response": "r", "reward": 1, "response_length": 3}]`, /element 1, line 1, column \d+ \(byte \d+\): field "prompt": holds a raw control character U\+0009 \(tab\)/],
    ["missing prompt", `[{"response": "r", "reward": 1, "response_length": 3}]`, /element 0, .*field "prompt": missing field/],
    ["missing response", `[{"prompt": "p", "reward": 1, "response_length": 3}]`, /field "response": missing field/],
    ["missing response_length", `[{"prompt": "p", "response": "r", "reward": 1}]`, /field "response_length": missing field/],
    ["prompt not a string", `[{"prompt": 12, "response": "r", "reward": 1, "response_length": 3}]`, /field "prompt": expected a string, found a number/],
    ["reward a string", `[{"prompt": "p", "response": "r", "reward": "1.0", "response_length": 3}]`, /field "reward": expected a JSON number, found a string/],
    ["reward null", `[{"prompt": "p", "response": "r", "reward": null, "response_length": 3}]`, /field "reward": expected a JSON number, found null/],
    ["reward 1e999", `[{"prompt": "p", "response": "r", "reward": 1e999, "response_length": 3}]`, /field "reward": 1e999 is not a finite number/],
    ["reward NaN (Python writes it)", `[{"prompt": "p", "response": "r", "reward": NaN, "response_length": 3}]`, /field "reward": expected a JSON number, found "NaN" \(not valid JSON\)/],
    ["reward -Infinity", `[{"prompt": "p", "response": "r", "reward": -Infinity, "response_length": 3}]`, /field "reward": expected a JSON number, found "-Infinity" \(not valid JSON\)/],
    ["negative length", `[{"prompt": "p", "response": "r", "reward": 1, "response_length": -3}]`, /field "response_length": expected an integer >= 0, found -3/],
    ["fractional length", `[{"prompt": "p", "response": "r", "reward": 1, "response_length": 2.5}]`, /field "response_length": expected an integer >= 0, found 2.5/],
    ["bad escape in a prompt", `[{"prompt": "\\x", "response": "r", "reward": 1, "response_length": 3}]`, /field|malformed JSON: invalid string/],
  ];
  for (const [name, text, message] of cases) {
    test(name, () => {
      const e = errorOf(text);
      assert.match(e.message, /^step_1\.json: /);
      assert.match(e.message, message);
      assert.equal(typeof e.offset, "number");
    });
  }

  test("invalid UTF-8 anywhere is refused by element, field and byte, never read as U+FFFD", () => {
    for (const [where, field] of [
      [`{"prompt": "p~", "response": "r", "reward": 1, "response_length": 3}`, "prompt"],
      [`{"prompt": "p", "response": "r~", "reward": 1, "response_length": 3}`, "response"],
      [`{"prompt": "p", "response": "r", "reward": 1, "response_length": 3, "meta": [{"k": "~"}]}`, "meta.0.k"],
    ]) {
      const text = `[${ok},\n${where}]`;
      const buf = Buffer.from(text);
      const at = buf.indexOf(0x7e);
      buf[at] = 0xff;
      assert.throws(
        () => scanBuf(buf),
        (e: Error) => {
          assert.ok(e instanceof IngestError);
          assert.match(e.message, new RegExp(`step_1\\.json: element 1, line 2, column \\d+ \\(byte ${at}\\): field "${field.replace(/\./g, "\\.")}": is not valid UTF-8 \\(bytes FF`));
          assert.equal(e.offset, at);
          assert.equal(e.field, field);
          return true;
        },
      );
    }
  });

  test("UTF-16 is refused: save it as UTF-8", () => {
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`[${ok}]`, "utf16le")]);
    assert.throws(() => scanBuf(buf), /step_1\.json: the file is UTF-16; save it as UTF-8/);
  });

  test("the byte offset points at the offending bytes", () => {
    const text = `[${ok},\n    {"prompt": "p", "response": "r", "reward": 1e999, "response_length": 3}]`;
    const e = errorOf(text);
    assert.equal(text.slice(e.offset!, e.offset! + 5), "1e999");
    assert.equal(e.element, 1);
    assert.equal(e.field, "reward");
    assert.match(e.message, /line 2, column 48/);
  });
});
