import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IngestError } from "./errors";
import { EpochExamplePicker, pickedList, type PickedExamples } from "./pick-examples";
import { stringLiteral } from "./scan/json-bytes";

const pickedText = (e: { response: string }): string => e.response;
import { packStepBatch as pack, promptsOf, type PackedStepBatch } from "./scan/pack-step-batch";
import { batchFromRecords } from "./scan/record";
import { scanOpenRlhfStep } from "./scan/scan-openrlhf-step";

/** Run ordinals by prompt text, as the run's aggregator numbers them; and back. */
class Ordinals {
  private readonly of = new Map<string, number>();
  readonly texts: string[] = [];
  for(b: PackedStepBatch): Uint32Array {
    return Uint32Array.from(promptsOf(b), (p) => {
      if (!this.of.has(p)) this.of.set(p, this.texts.push(p) - 1);
      return this.of.get(p)!;
    });
  }
}

/** A picker fed by ordinal, its picks shown by prompt text. */
class Picker {
  private readonly p: EpochExamplePicker;
  private readonly o = new Ordinals();
  constructor(keep: number, partSize?: number) {
    this.p = new EpochExamplePicker(keep, partSize);
  }
  add(b: PackedStepBatch, epoch: number) {
    return this.named(this.p.add(b, epoch, this.o.for(b)));
  }
  /** Every part's picks, each read before the next part reuses its columns. */
  flush() {
    return this.flushParts().flat();
  }
  flushParts() {
    const parts = [];
    for (const part of this.p.flush()) parts.push(this.named(part));
    return parts;
  }
  endsEpoch(epoch: number) {
    return this.p.endsEpoch(epoch);
  }
  private named(picks: PickedExamples) {
    return pickedList(picks).map((e) => ({ ...e, prompt: this.o.texts[e.ordinal] }));
  }
}

/** One step's batch from [prompt, reward] pairs; responses name their step and position. */
function step(n: number, rows: [string, number][], keep: number) {
  return pack(batchFromRecords(
    rows.map(([prompt, reward], i) => ({ prompt, reward, responseLength: 10, response: `s${n}#${i}` })),
    { step: n, file: `step_${n}.json`, successReward: 1, keepExamples: keep, bytes: 0 },
  ));
}

/** Runs steps of one epoch through a picker; returns prompt -> kept responses. */
function pick(keep: number, steps: [string, number][][]): Record<string, string[]> {
  const p = new Picker(keep);
  const picked = steps.flatMap((rows, i) => p.add(step(i + 1, rows, keep), 1));
  const out: Record<string, string[]> = {};
  for (const e of [...picked, ...p.flush()]) (out[e.prompt] ??= []).push(pickedText(e));
  for (const k of Object.keys(out)) out[k].sort(); // log order: s<step>#<index> sorts so here
  return out;
}

describe("examples kept per prompt and epoch", () => {
  test("default 2: a success and a failure where both exist, in log order, across steps", () => {
    const got = pick(2, [
      [["a", -0.5], ["a", -1], ["b", 1], ["b", 1], ["c", -1]],
      [["a", -0.5], ["a", 1], ["b", 1], ["c", 1], ["c", -1]],
    ]);
    assert.deepEqual(got, { a: ["s1#0", "s2#1"], b: ["s1#2", "s1#3"], c: ["s1#4", "s2#3"] });
  });
  test("only one kind: the first K", () => {
    assert.deepEqual(pick(2, [[["a", 0], ["a", 0], ["a", 0]]]), { a: ["s1#0", "s1#1"] });
    assert.deepEqual(pick(3, [[["a", 1]], [["a", 1], ["a", 1], ["a", 1]]]), { a: ["s1#0", "s2#0", "s2#1"] });
  });
  test("K = 3 with both kinds: the pair, then the next rollout in log order", () => {
    assert.deepEqual(pick(3, [[["a", 0], ["a", 0], ["a", 0], ["a", 1], ["a", 0]]]), { a: ["s1#0", "s1#1", "s1#3"] });
  });
  test("K = 1: the first rollout", () => {
    assert.deepEqual(pick(1, [[["a", 0], ["a", 1]]]), { a: ["s1#0"] });
  });
  test("K = 0 keeps nothing", () => {
    assert.deepEqual(pick(0, [[["a", 0], ["a", 1]]]), {});
  });
  test("a choice that can no longer change is handed out at once; the rest when the epoch ends", () => {
    const p = new Picker(2);
    const now = p.add(step(1, [["a", 1], ["a", 0], ["a", 0], ["b", 1], ["b", 1]], 2), 1);
    assert.deepEqual(
      now.map((e) => [e.prompt, pickedText(e)]),
      [
        ["a", "s1#0"],
        ["a", "s1#1"],
      ],
    );
    assert.deepEqual(p.add(step(2, [["a", 0], ["b", 1]], 2), 1), [], "a is done, b still waits for a failure");
    assert.equal(p.endsEpoch(1), false);
    assert.equal(p.endsEpoch(2), true);
    assert.throws(() => p.add(step(3, [["a", 0]], 2), 2), /flush/);
    assert.deepEqual(
      p.flush().map((e) => [e.prompt, e.step, e.epoch, pickedText(e)]),
      [
        ["b", 1, 1, "s1#3"],
        ["b", 1, 1, "s1#4"],
      ],
    );
    assert.deepEqual(
      [...p.add(step(3, [["a", 0]], 2), 2), ...p.flush()].map((e) => [e.step, e.epoch, pickedText(e)]),
      [[3, 2, "s3#0"]],
    );
  });
  test("the epoch's end hands out its picks in parts: the same picks in the same order, a part at most a prompt past its size", () => {
    const rows: [string, number][] = ["a", "b", "c", "d", "e"].flatMap((q): [string, number][] => [[q, 1], [q, 1]]); // only successes: all held
    const whole = new Picker(2);
    whole.add(step(1, rows, 2), 1);
    const parted = new Picker(2, 3);
    parted.add(step(1, rows, 2), 1);
    const parts = parted.flushParts();
    assert.deepEqual(parts.map((p) => p.length), [4, 4, 2], "two picks a prompt: a part ends once it holds 3 or more");
    const shown = (e: { prompt: string; step: number; response: string }) => [e.prompt, e.step, pickedText(e)];
    assert.deepEqual(parts.flat().map(shown), whole.flush().map(shown));
    assert.deepEqual(parts.flat().map((e) => e.prompt), ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"]);
    assert.equal(parted.endsEpoch(2), false, "the epoch is closed once every part was taken");
  });
  test("held raw responses survive their step buffer being reused (the arena grows as needed)", () => {
    const big = (tag: string) => `${tag} \\frac{1}{2} "q" ${"x".repeat(400_000)}`;
    const file = (rows: [string, number, string][]) =>
      Buffer.from(JSON.stringify(rows.map(([prompt, reward, response]) => ({ prompt, response, reward, response_length: 1 }))));
    const p = new Picker(2);
    const o = { file: "f", successReward: 1, keepExamples: 2 };
    const buf1 = file([["a", 1, big("a1")], ["b", 1, big("b1")], ["c", 0, big("c1")]]);
    const b1 = pack(scanOpenRlhfStep(buf1, { ...o, step: 1 }));
    assert.deepEqual(p.add(b1, 1), []);
    b1.exampleBytes!.fill(0); // the step's buffer is reused by the next scan
    const b2 = pack(scanOpenRlhfStep(file([["a", 1, big("a2")], ["b", 0, big("b2")], ["c", 0, big("c2")]]), { ...o, step: 2 }));
    const now = p.add(b2, 1);
    assert.deepEqual(now.map((e) => [e.prompt, e.step, pickedText(e)]), [["b", 1, big("b1")], ["b", 2, big("b2")]]);
    b2.exampleBytes!.fill(0);
    assert.deepEqual(
      p.flush().map((e) => [e.prompt, e.step, pickedText(e)]),
      [
        ["a", 1, big("a1")],
        ["a", 2, big("a2")],
        ["c", 1, big("c1")],
        ["c", 2, big("c2")],
      ],
    );
  });
  test("a kept response is stored as the log spelled it when that is valid JSON in UTF-8, else as stringLiteral has it", () => {
    const responses = [Buffer.from(String.raw`"caf\u00e9 \"q\" \n"`), Buffer.from('"été \\/ 𝑥"'), Buffer.from('"a\tb"')];
    const parts: Buffer[] = [Buffer.from("[")];
    responses.forEach((r, i) => parts.push(Buffer.from(`${i ? "," : ""}{"prompt": "p${i}", "response": `), r, Buffer.from(`, "reward": 1, "response_length": 1}`)));
    parts.push(Buffer.from("]"));
    const buf = Buffer.concat(parts);
    const at = buf.indexOf('"a\tb"');
    let expected: Buffer | Error;
    try {
      expected = Buffer.from(stringLiteral(buf, at, at + 4));
    } catch (e) {
      expected = e as Error;
    }
    const batch = pack(scanOpenRlhfStep(buf, { file: "f", step: 1, successReward: 1, keepExamples: 1 }));
    const p = new EpochExamplePicker(1);
    if (expected instanceof Error) {
      assert.throws(() => p.add(batch, 1, [0, 1, 2]), (e: Error) => e instanceof IngestError && e.message === `f: element 2: field "response": ${expected.message}`);
      return;
    }
    const picked = p.add(batch, 1, [0, 1, 2]);
    const stored = responses.map((_, i) => Buffer.from(picked.json.subarray(i === 0 ? 0 : picked.jsonEnd[i - 1], picked.jsonEnd[i])));
    assert.deepEqual(stored, [responses[0], responses[1], expected]);
    assert.deepEqual(pickedList(picked).map((e) => e.response), ['café "q" \n', "été / 𝑥", "a\tb"]);
  });
});
