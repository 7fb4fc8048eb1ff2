import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeRunView, encodeRunView, RunViewFormatError, type RunViewBody } from "./run-view-bytes";

function body(n: number, epochs: number, runName = "θ run"): RunViewBody {
  return {
    header: {
      run: { name: runName, notes: ["matched 3 of 3 — by text"] },
      params: { stepsPerEpoch: 8, maxEpochs: epochs, successReward: 1, epochMode: "steps", successRule: "equals", successField: null, epochsInLog: epochs, visits: null },
      epochs,
      prompts: n,
      average: Array.from({ length: epochs }, (_, k) => k / epochs),
      q25: Array.from({ length: epochs }, () => 0),
      q75: Array.from({ length: epochs }, () => 1),
    } as unknown as RunViewBody["header"],
    columns: {
      scores: Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? NaN : i % 7 === 0 ? -0 : (i * 0.37) % 1.3 - 0.3)),
      exclusion: Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 + (i % 2) : 0)),
      rollouts: Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0),
      accuracy: Uint16Array.from({ length: n * epochs }, (_, i) => i % 4),
      accuracyValues: Float64Array.from([NaN, 0, 1 / 3, 1]),
    },
  };
}

test("a run view survives encode and decode: header, every column, NaN and -0", () => {
  for (const [n, epochs] of [
    [0, 0],
    [1, 0],
    [5, 3],
    [1001, 7],
  ]) {
    const b = body(n, epochs);
    const back = decodeRunView(encodeRunView(b));
    assert.deepEqual(back.header, b.header);
    assert.equal(back.columns.scores.length, n);
    for (let i = 0; i < n; i++) assert.ok(Object.is(back.columns.scores[i], b.columns.scores[i]), `score ${i}`);
    assert.deepEqual([...back.columns.exclusion], [...b.columns.exclusion]);
    assert.deepEqual([...back.columns.rollouts], [...b.columns.rollouts]);
    assert.deepEqual([...back.columns.accuracy], [...b.columns.accuracy]);
    assert.deepEqual([...back.columns.accuracyValues], [...b.columns.accuracyValues]);
    assert.ok(back.columns.scores instanceof Float64Array && back.columns.rollouts instanceof Uint32Array && back.columns.accuracy instanceof Uint16Array && back.columns.exclusion instanceof Uint8Array);
  }
});

test("every column starts 8-byte aligned and is a view into the received bytes, not a copy", () => {
  for (const name of ["a", "ab", "abc", "abcdefg"]) {
    const bytes = encodeRunView(body(13, 5, name));
    const buffer = (bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength); // as Response.arrayBuffer() gives it
    const { columns } = decodeRunView(buffer);
    for (const col of Object.values(columns)) {
      assert.equal(col.buffer, buffer);
      assert.equal(col.byteOffset % 8, 0);
    }
    assert.equal(bytes.length % 8, 0);
  }
});

test("an accuracy index past uint16 travels as uint32", () => {
  const b = body(3, 2);
  const wide = { ...b, columns: { ...b.columns, accuracy: Uint32Array.from([0, 70_000, 1, 2, 3, 69_999]), accuracyValues: new Float64Array(70_001) } };
  const back = decodeRunView(encodeRunView(wide));
  assert.ok(back.columns.accuracy instanceof Uint32Array);
  assert.deepEqual([...back.columns.accuracy], [0, 70_000, 1, 2, 3, 69_999]);
});

test("a body held at an odd offset is still read (copied)", () => {
  const bytes = encodeRunView(body(9, 2));
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const back = decodeRunView(shifted.subarray(3));
  assert.equal(back.columns.scores.length, 9);
  assert.ok(Number.isNaN(back.columns.scores[0]));
});

test("wrong column lengths and foreign bytes are refused", () => {
  const b = body(4, 2);
  assert.throws(() => encodeRunView({ ...b, columns: { ...b.columns, accuracy: new Uint16Array(7) } }), RunViewFormatError);
  assert.throws(() => decodeRunView(new TextEncoder().encode('{"not":"a run view"}')), RunViewFormatError);
  const bad = encodeRunView(b);
  bad[4] = 9;
  assert.throws(() => decodeRunView(bad), /format 9/);
});
