import { isUtf8 } from "node:buffer";
import { countsAsSuccess } from "../../lim/success-rule";
import { takeExampleBuffer } from "./example-buffers";
import { decodeString } from "./json-bytes";
import type { PackedCandidates, PackedStepBatch, StepColumns } from "./pack-step-batch";
import { hashBytes } from "./prompt-keys";
import type { BatchOptions } from "./record";
import { trimPrompt } from "./trim-prompt";

/**
 * One step's prompts and aggregates as the byte scanner builds them: no string or object per
 * prompt. A prompt's key (its trimmed text) is decoded from the file's bytes straight into
 * UTF-8 in one arena, hashed there and looked up in an open-addressing table; the step's
 * rollout counts, sums, reward histograms and example candidates are typed-array columns by
 * slot (the order of first appearance). The table is reused file after file, so a worker's
 * memory is its file buffer and these columns, and the batch it posts is a few arrays.
 *
 * Keys are decoded byte for byte when that is plainly what JSON.parse and String.trim would
 * give (valid UTF-8, the usual escapes, no white space beyond ASCII at the ends); any other
 * string takes the string path (decodeString, trimPrompt, UTF-8 again), so the bytes - and
 * the errors - are the same either way.
 */
export class StepTable {
  private o: BatchOptions = { step: 0, file: "", successReward: 1, keepExamples: 0 };
  /** Keys of the slots, UTF-8, back to back; past `used`, scratch for the key being looked up. */
  private arena = Buffer.allocUnsafeSlow(1 << 20);
  private used = 0;
  count = 0;
  rollouts = 0;
  private keyEnd = new Uint32Array(1024);
  private keyHash = new Uint32Array(1024);
  /** Slot + 1 per table entry, 0 empty; a power of two, at most half full. */
  private index = new Int32Array(2048);
  // Aggregates by slot; reward kinds as a list per slot in order of first appearance.
  private aRollouts = new Uint32Array(1024);
  private aRewardSum = new Float64Array(1024);
  private aLengthSum = new Float64Array(1024);
  private aKinds = new Uint32Array(1024);
  private aFirst = new Int32Array(1024);
  private aLast = new Int32Array(1024);
  private eValue = new Float64Array(1024);
  private eCount = new Uint32Array(1024);
  private eNext = new Int32Array(1024);
  private entries = 0;
  // Example state by slot (see StepBatchBuilder.add) and the candidates in log order.
  private kept = new Uint32Array(1024);
  private seen = new Uint8Array(1024);
  private c = newCandidates(1024);
  private candidates = 0;
  /** Read piece by piece: the raw bytes of the candidates so far (see stageRaw), and how many are in it. */
  private staged = Buffer.allocUnsafeSlow(0);
  private stagedUsed = 0;
  private stagedCandidates = 0;

  /** Starts a step (the columns are reused). */
  reset(o: BatchOptions): void {
    this.o = o;
    this.used = 0;
    this.count = 0;
    this.rollouts = 0;
    this.entries = 0;
    this.candidates = 0;
    this.stagedUsed = 0;
    this.stagedCandidates = 0;
    this.index.fill(0);
  }

  /**
   * Copies the raw bytes of the candidates kept since the last call out of `src` (a piece of
   * the file about to be overwritten) into the table's own buffer; finish then reads them
   * from stagedBytes().
   */
  stageRaw(src: Buffer): void {
    const c = this.c;
    let size = this.stagedUsed;
    for (let i = this.stagedCandidates; i < this.candidates; i++) size += c.rawEnd[i] - c.rawStart[i];
    if (size > this.staged.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(size, 2 * this.staged.length, 1 << 16));
      this.staged.copy(grown, 0, 0, this.stagedUsed);
      this.staged = grown;
    }
    for (let i = this.stagedCandidates; i < this.candidates; i++) {
      const at = this.stagedUsed;
      this.stagedUsed += src.copy(this.staged, at, c.rawStart[i], c.rawEnd[i]);
      c.rawStart[i] = at;
      c.rawEnd[i] = this.stagedUsed;
    }
    this.stagedCandidates = this.candidates;
  }

  /** The buffer stageRaw copied the candidates' bytes into (finish's `src`). */
  stagedBytes(): Buffer {
    return this.staged;
  }

  /**
   * The slot of the prompt whose JSON string has its quotes at `open` and `close` in `buf`,
   * added when new. Throws decodeString's JsonSyntaxError for an invalid string.
   */
  slotOf(buf: Buffer, open: number, close: number): number {
    const raw = close - open - 1;
    if (this.used + 3 * raw + 8 > this.arena.length) this.growArena(this.used + 3 * raw + 8);
    let end = decodeKey(buf, open + 1, close, this.arena, this.used);
    let start = this.used;
    if (end < 0) {
      const key = trimPrompt(decodeString(buf, open, close));
      end = start + this.arena.write(key, start, "utf8");
    } else {
      // ASCII white space at both ends, as trim() drops it.
      while (start < end && isAsciiWs(this.arena[start])) start++;
      while (end > start && isAsciiWs(this.arena[end - 1])) end--;
      if (end > start && (mayBeWs(this.arena, start) || mayBeWs(this.arena, lastCharStart(this.arena, start, end)))) {
        const key = trimPrompt(decodeString(buf, open, close));
        start = this.used;
        end = start + this.arena.write(key, start, "utf8");
      } else if (start > this.used) {
        this.arena.copy(this.arena, this.used, start, end);
        end -= start - this.used;
        start = this.used;
      }
    }
    const h = hashBytes(this.arena, start, end);
    const mask = this.index.length - 1;
    const len = end - start;
    let s = h & mask;
    for (;;) {
      const slot = this.index[s] - 1;
      if (slot < 0) break;
      if (this.keyHash[slot] === h) {
        const ks = slot === 0 ? 0 : this.keyEnd[slot - 1];
        if (this.keyEnd[slot] - ks === len && this.arena.compare(this.arena, ks, this.keyEnd[slot], start, end) === 0) return slot;
      }
      s = (s + 1) & mask;
    }
    return this.add(h, end, s);
  }

  private add(h: number, end: number, at: number): number {
    const slot = this.count++;
    if (slot === this.keyEnd.length) this.growSlots();
    this.used = end;
    this.keyEnd[slot] = end;
    this.keyHash[slot] = h;
    this.aRollouts[slot] = 0;
    this.aRewardSum[slot] = 0;
    this.aLengthSum[slot] = 0;
    this.aKinds[slot] = 0;
    this.aFirst[slot] = -1;
    this.kept[slot] = 0;
    this.seen[slot] = 0;
    if (2 * this.count > this.index.length) this.rehash();
    else this.index[at] = slot + 1;
    return slot;
  }

  /** Counts a rollout of `slot`; true when its response should be offered as an example (see StepBatchBuilder.add). */
  addRollout(slot: number, reward: number, responseLength: number): boolean {
    this.rollouts++;
    this.aRollouts[slot]++;
    this.aRewardSum[slot] += reward;
    this.aLengthSum[slot] += responseLength;
    let e = this.aFirst[slot];
    while (e >= 0 && this.eValue[e] !== reward) e = this.eNext[e];
    if (e >= 0) this.eCount[e]++;
    else {
      e = this.entries++;
      if (e === this.eValue.length) this.growEntries();
      this.eValue[e] = reward;
      this.eCount[e] = 1;
      this.eNext[e] = -1;
      if (this.aFirst[slot] < 0) this.aFirst[slot] = e;
      else this.eNext[this.aLast[slot]] = e;
      this.aLast[slot] = e;
      this.aKinds[slot]++;
    }
    const k = this.o.keepExamples;
    if (k <= 0) return false;
    if (this.kept[slot] < k) return true;
    return this.succeeds(reward) ? !(this.seen[slot] & SUCCESS) : !(this.seen[slot] & FAILURE);
  }

  /** Keeps a candidate whose response is the JSON string literal buf[start, end) (quotes included), undecoded. */
  keepRaw(slot: number, index: number, reward: number, responseLength: number, start: number, end: number): void {
    const success = this.succeeds(reward);
    this.kept[slot]++;
    this.seen[slot] |= success ? SUCCESS : FAILURE;
    const i = this.candidates++;
    if (i === this.c.length) this.growCandidates();
    const c = this.c;
    c.prompt[i] = slot;
    c.index[i] = index;
    c.reward[i] = reward;
    c.success[i] = success ? 1 : 0;
    c.responseLength[i] = responseLength;
    c.rawStart[i] = start;
    c.rawEnd[i] = end;
  }

  private succeeds(reward: number): boolean {
    return countsAsSuccess(reward, this.o.successReward, this.o.successRule);
  }

  /** The step as a packed batch of arrays of its own (transferable); `src` is the buffer keepRaw's offsets point into. */
  finish(bytes: number, src: Buffer): PackedStepBatch {
    const P = this.count;
    const agg: StepColumns = {
      rollouts: this.aRollouts.slice(0, P),
      rewardSum: this.aRewardSum.slice(0, P),
      lengthSum: this.aLengthSum.slice(0, P),
      rewardKinds: this.aKinds.slice(0, P),
      rewardValue: new Float64Array(this.entries),
      rewardCount: new Uint32Array(this.entries),
    };
    for (let p = 0, at = 0; p < P; p++) {
      for (let e = this.aFirst[p]; e >= 0; e = this.eNext[e], at++) {
        agg.rewardValue[at] = this.eValue[e];
        agg.rewardCount[at] = this.eCount[e];
      }
    }
    const n = this.candidates;
    const from = this.c;
    const c: PackedCandidates = {
      length: n,
      prompt: from.prompt.slice(0, n),
      index: from.index.slice(0, n),
      reward: from.reward.slice(0, n),
      success: from.success.slice(0, n),
      responseLength: from.responseLength.slice(0, n),
      rawStart: from.rawStart.slice(0, n),
      rawEnd: from.rawEnd.slice(0, n),
    };
    // Gathered into a recycled buffer with its own ArrayBuffer, transferable to the main thread.
    let exampleBytes: Buffer | undefined;
    if (n > 0) {
      let size = 0;
      for (let i = 0; i < n; i++) size += c.rawEnd[i] - c.rawStart[i];
      exampleBytes = takeExampleBuffer(size);
      for (let i = 0, at = 0; i < n; i++) {
        const len = c.rawEnd[i] - c.rawStart[i];
        src.copy(exampleBytes, at, c.rawStart[i], c.rawEnd[i]);
        c.rawStart[i] = at;
        c.rawEnd[i] = at += len;
      }
    }
    // A step's keys are most of what it posts (~25 MB at a million prompts): into a buffer the
    // main thread hands back, as it does the example bytes. Fresh ones each step piled up on
    // the main thread as garbage faster than its small heap was collected (~400 MB at 1M).
    const keyBytes = takeExampleBuffer(this.used);
    this.arena.copy(keyBytes, 0, 0, this.used);
    const keys = { bytes: keyBytes, ends: this.keyEnd.slice(0, P), hash: this.keyHash.slice(0, P) };
    return { step: this.o.step, file: this.o.file, bytes, rollouts: this.rollouts, keys, agg, promptRollouts: agg.rollouts, candidates: c, exampleBytes };
  }

  private rehash(): void {
    this.index = new Int32Array(2 * this.index.length);
    const mask = this.index.length - 1;
    for (let slot = 0; slot < this.count; slot++) {
      let s = this.keyHash[slot] & mask;
      while (this.index[s] !== 0) s = (s + 1) & mask;
      this.index[s] = slot + 1;
    }
  }

  private growArena(need: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.arena.length, need));
    this.arena.copy(grown, 0, 0, this.used);
    this.arena = grown;
  }

  private growSlots(): void {
    const n = 2 * this.keyEnd.length;
    this.keyEnd = grow(this.keyEnd, new Uint32Array(n));
    this.keyHash = grow(this.keyHash, new Uint32Array(n));
    this.aRollouts = grow(this.aRollouts, new Uint32Array(n));
    this.aRewardSum = grow(this.aRewardSum, new Float64Array(n));
    this.aLengthSum = grow(this.aLengthSum, new Float64Array(n));
    this.aKinds = grow(this.aKinds, new Uint32Array(n));
    this.aFirst = grow(this.aFirst, new Int32Array(n));
    this.aLast = grow(this.aLast, new Int32Array(n));
    this.kept = grow(this.kept, new Uint32Array(n));
    this.seen = grow(this.seen, new Uint8Array(n));
  }

  private growEntries(): void {
    const n = 2 * this.eValue.length;
    this.eValue = grow(this.eValue, new Float64Array(n));
    this.eCount = grow(this.eCount, new Uint32Array(n));
    this.eNext = grow(this.eNext, new Int32Array(n));
  }

  private growCandidates(): void {
    const from = this.c;
    const to = newCandidates(2 * from.length);
    to.prompt.set(from.prompt);
    to.index.set(from.index);
    to.reward.set(from.reward);
    to.success.set(from.success);
    to.responseLength.set(from.responseLength);
    to.rawStart.set(from.rawStart);
    to.rawEnd.set(from.rawEnd);
    this.c = to;
  }
}

const SUCCESS = 1;
const FAILURE = 2;

function newCandidates(n: number): PackedCandidates {
  return { length: n, prompt: new Uint32Array(n), index: new Uint32Array(n), reward: new Float64Array(n), success: new Uint8Array(n), responseLength: new Float64Array(n), rawStart: new Uint32Array(n), rawEnd: new Uint32Array(n) };
}

function grow<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** \t \n \v \f \r and space: the white space below 0x80 that String.trim drops. */
function isAsciiWs(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Whether the UTF-8 character at `i` may be white space String.trim drops beyond ASCII: the
 * lead bytes of U+00A0, U+1680, U+2000-U+205F, U+3000 and U+FEFF (a conservative test).
 */
function mayBeWs(b: Uint8Array, i: number): boolean {
  const c = b[i];
  return c === 0xc2 || c === 0xe1 || c === 0xe2 || c === 0xe3 || c === 0xef;
}

function lastCharStart(b: Uint8Array, start: number, end: number): number {
  let i = end - 1;
  while (i > start && (b[i] & 0xc0) === 0x80) i--;
  return i;
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function hex4(b: Uint8Array, i: number): number {
  const a = hex(b[i]), c = hex(b[i + 1]), d = hex(b[i + 2]), e = hex(b[i + 3]);
  return a < 0 || c < 0 || d < 0 || e < 0 ? -1 : (a << 12) | (c << 8) | (d << 4) | e;
}

/**
 * Decodes the contents of a JSON string, src[s, e) (no quotes), as UTF-8 into out at `at`
 * (room for 3 bytes per source byte); returns the end, or -1 when the string is anything but
 * plainly valid (a raw control character, a bad or lone-surrogate escape, invalid UTF-8): the
 * caller then decodes it as text, which gives the bytes JSON.parse would, or its error.
 */
function decodeKey(src: Buffer, s: number, e: number, out: Buffer, at: number): number {
  let nonAscii = false;
  for (let i = s; i < e; i++) {
    const c = src[i];
    if (c !== 0x5c) {
      if (c < 0x20) return -1;
      if (c >= 0x80) nonAscii = true;
      out[at++] = c;
      continue;
    }
    const n = src[++i];
    switch (n) {
      case 0x22:
      case 0x5c:
      case 0x2f:
        out[at++] = n;
        break;
      case 0x62:
        out[at++] = 0x08;
        break;
      case 0x66:
        out[at++] = 0x0c;
        break;
      case 0x6e:
        out[at++] = 0x0a;
        break;
      case 0x72:
        out[at++] = 0x0d;
        break;
      case 0x74:
        out[at++] = 0x09;
        break;
      case 0x75: {
        if (i + 4 >= e) return -1;
        let u = hex4(src, i + 1);
        if (u < 0) return -1;
        i += 4;
        if (u < 0x80) out[at++] = u;
        else if (u < 0x800) {
          out[at++] = 0xc0 | (u >> 6);
          out[at++] = 0x80 | (u & 0x3f);
        } else if (u >= 0xd800 && u <= 0xdfff) {
          // A pair of escapes; a lone surrogate is left to the text path.
          if (u >= 0xdc00 || i + 6 >= e || src[i + 1] !== 0x5c || src[i + 2] !== 0x75) return -1;
          const lo = hex4(src, i + 3);
          if (lo < 0xdc00 || lo > 0xdfff) return -1;
          i += 6;
          u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
          out[at++] = 0xf0 | (u >> 18);
          out[at++] = 0x80 | ((u >> 12) & 0x3f);
          out[at++] = 0x80 | ((u >> 6) & 0x3f);
          out[at++] = 0x80 | (u & 0x3f);
        } else {
          out[at++] = 0xe0 | (u >> 12);
          out[at++] = 0x80 | ((u >> 6) & 0x3f);
          out[at++] = 0x80 | (u & 0x3f);
        }
        break;
      }
      default:
        return -1;
    }
  }
  if (nonAscii && !isUtf8(src.subarray(s, e))) return -1;
  return at;
}
