/**
 * The prompt column's sort key, built on the server (the page holds no texts): each prompt's
 * rank in case-insensitive order of its snippet, as textRank (table-order.ts) computes it, but
 * in slices that yield to the event loop. A million prompts take seconds to sort; done in one
 * piece, every other request (the rows' texts) would wait that long.
 *
 * The keys are held as bytes, not strings: each lower-cased snippet's UTF-16 code units written
 * as UTF-8 writes code points, a surrogate on its own (CESU-8), so byte order is exactly the
 * code-unit order JavaScript compares strings in, and equal bytes are equal strings. A million
 * keys as strings were ~300 MB of heap that stayed with the server once sorted; as bytes they
 * are a few pages freed as soon as the ranks are made.
 */
import { nextTurn, type PromptBatches } from "./prompt-batches";
import { promptSnippet } from "./prompt-text";

export interface TextOrderOptions {
  /** Work between two pauses (default 20,000 prompts or comparisons x 4). */
  slice?: number;
  pause?: () => Promise<void>;
}

/** Bytes of a key page; a key never spans two pages. */
const PAGE = 8 << 20;

/** Lower-cased snippets as CESU-8 bytes, in pages, with where each key lies. */
class KeyBytes {
  pages: Uint8Array[] = [];
  page: Uint32Array = new Uint32Array(1024);
  start: Uint32Array = new Uint32Array(1024);
  end: Uint32Array = new Uint32Array(1024);
  size = 0;
  private at = 0;

  add(key: string): void {
    const n = this.size++;
    if (n === this.start.length) {
      this.page = grown(this.page);
      this.start = grown(this.start);
      this.end = grown(this.end);
    }
    const need = 3 * key.length; // at most 3 bytes per code unit
    let bytes = this.pages[this.pages.length - 1];
    if (!bytes || this.at + need > bytes.length) {
      this.pages.push((bytes = new Uint8Array(Math.max(PAGE, need))));
      this.at = 0;
    }
    let at = this.at;
    this.page[n] = this.pages.length - 1;
    this.start[n] = at;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c < 0x80) bytes[at++] = c;
      else if (c < 0x800) {
        bytes[at++] = 0xc0 | (c >> 6);
        bytes[at++] = 0x80 | (c & 0x3f);
      } else {
        bytes[at++] = 0xe0 | (c >> 12);
        bytes[at++] = 0x80 | ((c >> 6) & 0x3f);
        bytes[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.end[n] = this.at = at;
  }

  /** Keys x and y compared as strings compare: negative, 0 or positive. */
  compare(x: number, y: number): number {
    const a = this.pages[this.page[x]];
    const b = this.pages[this.page[y]];
    let i = this.start[x];
    let j = this.start[y];
    const ie = this.end[x];
    const je = this.end[y];
    for (; i < ie && j < je; i++, j++) if (a[i] !== b[j]) return a[i] - b[j];
    return ie - i - (je - j);
  }
}

function grown(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(2 * a.length);
  b.set(a);
  return b;
}

/** textRank of the prompts' snippets (in ordinal order), computed a slice at a time. */
export async function snippetRank(batches: PromptBatches, o: TextOrderOptions = {}): Promise<Uint32Array> {
  const slice = o.slice ?? 20_000;
  const pause = o.pause ?? nextTurn;
  const keys = new KeyBytes();
  let since = 0;
  for await (const batch of batches) {
    for (const text of batch) keys.add(promptSnippet(text).toLowerCase());
    if ((since += batch.length) >= slice) {
      since = 0;
      await pause();
    }
  }
  const n = keys.size;
  const cmp = (x: number, y: number) => keys.compare(x, y) || x - y;
  let a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Sorted runs of `slice` prompts, then merged pairwise (bottom-up merge sort).
  for (let s = 0; s < n; s += slice) {
    a.subarray(s, Math.min(n, s + slice)).sort(cmp);
    await pause();
  }
  let b = new Int32Array(n);
  let work = 0;
  for (let width = slice; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        b[k++] = cmp(a[i], a[j]) <= 0 ? a[i++] : a[j++];
        if (++work >= slice * 4) {
          work = 0;
          await pause();
        }
      }
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    [a, b] = [b, a];
  }
  const rank = new Uint32Array(n);
  let r = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0 && keys.compare(a[j], a[j - 1]) !== 0) r++;
    rank[a[j]] = r;
  }
  return rank;
}
