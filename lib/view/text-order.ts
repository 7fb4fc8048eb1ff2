/**
 * The prompt column's sort key, built on the server (the page holds no texts): each prompt's
 * rank in case-insensitive order of its snippet, as textRank (table-order.ts) computes it, but
 * in slices that yield to the event loop. A million prompts take seconds to sort as strings;
 * done in one piece, every other request (the rows' texts) would wait that long.
 */
import { promptSnippet } from "./prompt-text";

export interface TextOrderOptions {
  /** Work between two pauses (default 20,000 prompts or comparisons x 4). */
  slice?: number;
  pause?: () => Promise<void>;
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** textRank(texts.map(promptSnippet)), computed a slice at a time. */
export async function snippetRank(texts: readonly string[], o: TextOrderOptions = {}): Promise<Uint32Array> {
  const slice = o.slice ?? 20_000;
  const pause = o.pause ?? nextTurn;
  const n = texts.length;
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % slice === 0) await pause();
    keys[i] = promptSnippet(texts[i]).toLowerCase();
  }
  const cmp = (x: number, y: number) => (keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : x - y);
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
    if (j > 0 && keys[a[j]] !== keys[a[j - 1]]) r++;
    rank[a[j]] = r;
  }
  return rank;
}
