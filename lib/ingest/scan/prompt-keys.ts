/**
 * A step's prompt keys as UTF-8 bytes: one buffer, where each key ends, and a 32-bit hash of
 * each. Scan workers hand the main thread these instead of strings. A million-prompt step
 * arrives as three transferable arrays rather than 125k strings that the main thread would
 * deserialise, hash and compare in full, then collect as old garbage: ~1 GB of string
 * garbage per million-prompt run, and most of the main thread's time.
 */
export interface PromptKeys {
  bytes: Uint8Array;
  /** keys[i] is bytes[ends[i - 1] (or 0) .. ends[i]). */
  ends: Uint32Array;
  hash: Uint32Array;
}

const encoder = new TextEncoder();

export function encodePromptKeys(keys: readonly string[]): PromptKeys {
  let chars = 0;
  for (const k of keys) chars += k.length;
  let bytes = new Uint8Array(chars * 3); // UTF-8 needs at most 3 bytes per UTF-16 unit
  const ends = new Uint32Array(keys.length);
  const hash = new Uint32Array(keys.length);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const start = at;
    at += encoder.encodeInto(keys[i], bytes.subarray(at)).written;
    ends[i] = at;
    hash[i] = hashBytes(bytes, start, at);
  }
  if (at < bytes.length / 2) bytes = bytes.slice(0, at); // do not ship the slack
  else bytes = bytes.subarray(0, at);
  return { bytes, ends, hash };
}

export function decodePromptKeys(k: PromptKeys): string[] {
  const b = Buffer.from(k.bytes.buffer, k.bytes.byteOffset, k.bytes.byteLength);
  const out = new Array<string>(k.ends.length);
  for (let i = 0, start = 0; i < k.ends.length; start = k.ends[i++]) out[i] = b.toString("utf8", start, k.ends[i]);
  return out;
}

/** FNV-1a over the bytes: a filter only, every match is confirmed byte for byte. */
export function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/** Keys up to this many bytes are compared in JavaScript, longer ones by Buffer#compare (memcmp). */
const SHORT_KEY = 48;

/** The first page of a key table's arena grows up to this size (small runs stay small). */
const FIRST_PAGE = 16 << 20;
/**
 * Bytes of each further page: past 32 MB, so the C allocator maps each page on its own and
 * gives it back to the system when it is freed. Pages of 16 MB came from its heap, which
 * keeps what is freed: at a million prompts the run's ~200 MB of keys, freed once the run is
 * written, stayed resident while the run was scored for its counts, the ingest's peak.
 */
const PAGE = 48 << 20;

/**
 * The run's prompt keys, numbered in order of first appearance, held as UTF-8 in pages (see
 * PAGE) with an open-addressing index: the main thread never holds a string per prompt while
 * the log is read. Pages are added, never grown: a grown arena held the old copy and the new
 * one at once (~450 MB for a million ~200-byte keys, the ingest's peak). Keys become strings
 * once, when the run's samples are written.
 */
export class PromptKeyTable {
  private pages: Buffer[] = [Buffer.allocUnsafeSlow(1 << 20)];
  /** Bytes used of the last page. */
  private used = 0;
  /**
   * Per ordinal, side by side: its page, where its key starts and ends in it, and its hash.
   * One record is one cache line: four arrays cost a lookup four cache misses where one does.
   */
  private records = new Uint32Array(4 * 1024);
  /**
   * Per slot, side by side: ordinal + 1 (0 for empty) and that key's hash, so a probe that
   * meets another key rejects it without reading its record. A power of two, at most half full.
   */
  private slots = new Int32Array(2 * 2048);
  size = 0;

  /**
   * The ordinal of keys[i]: as it stands when known, else added as the next ordinal and
   * returned as -(ordinal + 1). A number, not an object: this runs once per prompt and step.
   */
  ordinalOf(keys: PromptKeys, bytes: Uint8Array, i: number): number {
    const start = i === 0 ? 0 : keys.ends[i - 1];
    const end = keys.ends[i];
    const h = keys.hash[i];
    const o = this.find(bytes, start, end, h);
    return o >= 0 ? o : -this.add(bytes, start, end, h) - 1;
  }

  /** The ordinal of the key bytes[start, end) whose hashBytes is `h`, or -1. */
  find(bytes: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    const n = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const o = slots[2 * s] - 1;
      if (o < 0) break;
      if (slots[2 * s + 1] !== (h | 0)) continue;
      const r = 4 * o;
      const os = this.records[r + 1];
      if (this.records[r + 2] - os !== n) continue;
      const arena = this.pages[this.records[r]];
      if (n > SHORT_KEY) {
        // A ~200-byte key compared in JavaScript byte by byte cost ~700 ns, ~3x memcmp plus the call.
        if (arena.compare(bytes, start, end, os, os + n) === 0) return o;
        continue;
      }
      // Short keys in a loop: the binding's call cost would be most of the lookup.
      let k = 0;
      while (k < n && arena[os + k] === bytes[start + k]) k++;
      if (k === n) return o;
    }
    return -1;
  }

  /** Calls fn(bytes, start, end, hash) for each ordinal in turn (lookups of the keys elsewhere, without a string each). */
  forEachKey(fn: (bytes: Uint8Array, start: number, end: number, hash: number, ordinal: number) => void): void {
    const r = this.records;
    for (let o = 0; o < this.size; o++) fn(this.pages[r[4 * o]], r[4 * o + 1], r[4 * o + 2], r[4 * o + 3], o);
  }

  /** The key of an ordinal, as text. */
  key(ordinal: number): string {
    const r = 4 * ordinal;
    return this.pages[this.records[r]].toString("utf8", this.records[r + 1], this.records[r + 2]);
  }

  private add(bytes: Uint8Array, start: number, end: number, h: number): number {
    const o = this.size++;
    if (4 * o === this.records.length) {
      const grown = new Uint32Array(2 * this.records.length);
      grown.set(this.records);
      this.records = grown;
    }
    const n = end - start;
    let last = this.pages[this.pages.length - 1];
    if (this.used + n > last.length) {
      if (this.pages.length === 1 && last.length < FIRST_PAGE && this.used + n <= FIRST_PAGE) {
        // The first page grows up to FIRST_PAGE; past that, pages are added.
        const grown = Buffer.allocUnsafeSlow(Math.min(FIRST_PAGE, Math.max(2 * last.length, this.used + n)));
        last.copy(grown, 0, 0, this.used);
        this.pages[this.pages.length - 1] = last = grown;
      } else {
        this.pages.push((last = Buffer.allocUnsafeSlow(Math.max(PAGE, n))));
        this.used = 0;
      }
    }
    last.set(bytes.subarray(start, end), this.used);
    const r = 4 * o;
    this.records[r] = this.pages.length - 1;
    this.records[r + 1] = this.used;
    this.records[r + 2] = this.used += n;
    this.records[r + 3] = h;
    if (4 * this.size > this.slots.length) this.rehash();
    else this.place(o);
    return o;
  }

  private place(o: number): void {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    const h = this.records[4 * o + 3];
    let s = h & mask;
    while (slots[2 * s] !== 0) s = (s + 1) & mask;
    slots[2 * s] = o + 1;
    slots[2 * s + 1] = h;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    for (let o = 0; o < this.size; o++) this.place(o);
  }
}
