import type { StepBlock } from "./run-columns";

/**
 * A step block as bytes, in two parts: what scoring reads ("counts") and the per-record sums
 * only the prompt page shows ("sums"), so loading a run for scoring skips a third of it.
 * Little-endian, typed-array order, so decoding is views over the bytes, not a parse:
 *
 *   counts: version u32 | step i32 | records n u32 | entries e u32
 *           | rewardValue f64[e] | ordinal deltas u32[n] | rollouts u32[n] | rewardKinds u32[n] | rewardCount u32[e]
 *   sums:   rewardSum f64[n] | lengthSum f64[n]
 *
 * Ordinals are stored as differences from the previous one (ascending, so small): storage
 * compresses them to almost nothing.
 */
const VERSION = 1;
const HEADER = 16;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("step blocks are read as little-endian typed arrays; this machine is big-endian");

/** The length of a block's counts part: `records` records and `entries` histogram entries. */
export function countsLength(records: number, entries: number): number {
  return HEADER + 8 * entries + 4 * (3 * records + entries);
}

export function encodeStepBlock(b: StepBlock): { counts: Uint8Array; sums: Uint8Array } {
  const n = b.ordinal.length;
  const e = b.rewardValue.length;
  const counts = new Uint8Array(countsLength(n, e));
  const head = new DataView(counts.buffer);
  head.setUint32(0, VERSION, true);
  head.setInt32(4, b.step, true);
  head.setUint32(8, n, true);
  head.setUint32(12, e, true);
  new Float64Array(counts.buffer, HEADER, e).set(b.rewardValue);
  const u32 = new Uint32Array(counts.buffer, HEADER + 8 * e, 3 * n + e);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const o = b.ordinal[i];
    if (i > 0 && o <= prev) throw new Error(`step ${b.step}: prompt ordinals must be ascending (${o} after ${prev})`);
    u32[i] = o - prev;
    prev = o;
  }
  u32.set(b.rollouts, n);
  u32.set(b.rewardKinds, 2 * n);
  u32.set(b.rewardCount, 3 * n);
  const sums = new Uint8Array(16 * n);
  const f64 = new Float64Array(sums.buffer);
  f64.set(b.rewardSum, 0);
  f64.set(b.lengthSum, n);
  return { counts, sums };
}

/**
 * The block the bytes hold; arrays are views over (a private copy of) the bytes. Sums are NaN
 * when not given. `owned`: the caller gives the bytes away (freshly inflated), so they are
 * used in place when aligned instead of copied (at a million prompts, 170 MB copied for nothing).
 */
export function decodeStepBlock(countsBytes: Uint8Array, sumsBytes?: Uint8Array | null, owned = false): StepBlock {
  const counts = owned ? aligned8(countsBytes) : aligned(countsBytes);
  if (counts.byteLength < HEADER) throw new Error(`a stored step block is ${counts.byteLength} bytes, shorter than its header`);
  const head = new DataView(counts.buffer, counts.byteOffset, HEADER);
  const version = head.getUint32(0, true);
  if (version !== VERSION) throw new Error(`a stored step block has version ${version}; this version of LIM Studio reads ${VERSION}`);
  const step = head.getInt32(4, true);
  const n = head.getUint32(8, true);
  const e = head.getUint32(12, true);
  if (counts.byteLength !== countsLength(n, e)) throw new Error(`step ${step}: stored block is ${counts.byteLength} bytes, expected ${countsLength(n, e)}`);
  const base = counts.byteOffset + HEADER;
  const u32 = new Uint32Array(counts.buffer, base + 8 * e, 3 * n + e);
  const ordinal = u32.subarray(0, n);
  for (let i = 1; i < n; i++) ordinal[i] += ordinal[i - 1];
  let rewardSum: Float64Array;
  let lengthSum: Float64Array;
  if (sumsBytes) {
    const sums = owned ? aligned8(sumsBytes) : aligned(sumsBytes);
    if (sums.byteLength !== 16 * n) throw new Error(`step ${step}: stored sums are ${sums.byteLength} bytes, expected ${16 * n}`);
    rewardSum = new Float64Array(sums.buffer, sums.byteOffset, n);
    lengthSum = new Float64Array(sums.buffer, sums.byteOffset + 8 * n, n);
  } else {
    rewardSum = new Float64Array(n).fill(NaN);
    lengthSum = new Float64Array(n).fill(NaN);
  }
  return {
    step,
    ordinal,
    rollouts: u32.subarray(n, 2 * n),
    rewardSum,
    lengthSum,
    rewardKinds: u32.subarray(2 * n, 3 * n),
    rewardValue: new Float64Array(counts.buffer, base, e),
    rewardCount: u32.subarray(3 * n),
  };
}

/** The bytes themselves when typed arrays of 8-byte values can view them, else aligned(). */
function aligned8(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : aligned(bytes);
}

/** The bytes at an 8-byte-aligned offset of a buffer of their own (decoding edits ordinals in place). */
function aligned(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
