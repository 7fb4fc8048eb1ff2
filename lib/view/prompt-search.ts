/**
 * Searching a run's prompts on the server (the run page never holds the texts): matchQuery's
 * rule, every word of the query in the text, case-insensitive, over each prompt's question
 * (promptQuestion: the whole question, not just the table's snippet).
 *
 * The index is every question lower-cased, as UTF-8, one after another with "\n" between
 * them (a query word never holds white space, so no match spans two prompts), in pages of a
 * few MB that each end after a whole prompt, and each prompt's start in its page. A word is
 * found with Buffer.indexOf over a page, the match mapped to its prompt by binary search and
 * the scan jumps to the next prompt: a search of a million prompts (~200 MB) is one native
 * scan per page and word. Pages are added, never grown by copying: a grown buffer held the
 * old copy and the new one at once. Server only (node:buffer).
 */
import { Buffer } from "node:buffer";
import { nextTurn, type PromptBatches } from "./prompt-batches";
import { promptQuestion } from "./prompt-text";
import { queryWords } from "./table-order";

export interface SearchIndex {
  /** The lower-cased questions, "\n" after each; no prompt spans two pages. */
  pages: Buffer[];
  /** firstOf[k]: the first prompt of page k; firstOf[pages.length]: the prompt count. */
  firstOf: Uint32Array;
  /** starts[p]: where prompt p's text begins in its page. */
  starts: Uint32Array;
  prompts: number;
}

export interface SearchIndexOptions {
  /** Bytes of a page (default 4 MB; a longer prompt gets a page of its own). */
  pageBytes?: number;
  /** Batches between two pauses for other requests (default 16). */
  batchesPerTurn?: number;
  pause?: () => Promise<void>;
}

/** Builds the index from the prompts in ordinal order, a batch at a time. */
export async function buildSearchIndex(batches: PromptBatches, o: SearchIndexOptions = {}): Promise<SearchIndex> {
  const pageBytes = o.pageBytes ?? 4 << 20;
  const perTurn = o.batchesPerTurn ?? 16;
  const pause = o.pause ?? nextTurn;
  const pages: Buffer[] = [];
  const firstOf: number[] = [];
  let starts: Uint32Array = new Uint32Array(1024);
  let page = Buffer.alloc(0);
  let at = 0;
  let n = 0;
  let seen = 0;
  const closePage = () => {
    // A page mostly empty (a small run's only one) is copied to its size.
    if (firstOf.length > pages.length) pages.push(at < page.length / 2 ? Buffer.from(page.subarray(0, at)) : page.subarray(0, at));
  };
  for await (const batch of batches) {
    if (++seen % perTurn === 0) await pause();
    if (n + batch.length > starts.length) starts = grown(starts, n + batch.length);
    for (const text of batch) {
      const s = promptQuestion(text).toLowerCase();
      const need = Buffer.byteLength(s) + 1;
      if (firstOf.length === pages.length || at + need > page.length) {
        closePage();
        page = Buffer.allocUnsafeSlow(Math.max(pageBytes, need));
        firstOf.push(n);
        at = 0;
      }
      starts[n++] = at;
      at += page.write(s, at, "utf8");
      page[at++] = 0x0a;
    }
  }
  closePage();
  firstOf.push(n);
  return { pages, firstOf: Uint32Array.from(firstOf), starts: starts.slice(0, n), prompts: n };
}

function grown(a: Uint32Array, need: number): Uint32Array {
  const b = new Uint32Array(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Where prompt p's text ends in its page (its "\n" included), p in page k. */
function endOf(index: SearchIndex, k: number, p: number): number {
  return p + 1 < index.firstOf[k + 1] ? index.starts[p + 1] : index.pages[k].length;
}

/** The page holding prompt p: the last k with firstOf[k] <= p. */
function pageOf(firstOf: Uint32Array, p: number): number {
  let lo = 0;
  let hi = firstOf.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firstOf[mid] <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The prompt of page k whose text holds byte `pos`: the last p with starts[p] <= pos. */
function promptAt(index: SearchIndex, k: number, pos: number): number {
  let lo = index.firstOf[k];
  let hi = index.firstOf[k + 1] - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (index.starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Ordinals (ascending) of the prompts holding every word of the query; null for no query. */
export function searchPrompts(index: SearchIndex, query: string): Uint32Array | null {
  const words = [...new Set(queryWords(query))];
  if (words.length === 0) return null;
  // Rarest-looking (longest) word first: later words only look inside the prompts left.
  words.sort((a, b) => b.length - a.length);
  let hits: Uint32Array = new Uint32Array(0);
  for (let w = 0; w < words.length; w++) {
    const needle = Buffer.from(words[w], "utf8");
    if (w === 0) {
      const found: number[] = [];
      for (let k = 0; k < index.pages.length; k++) {
        const bytes = index.pages[k];
        let pos = bytes.indexOf(needle, 0);
        while (pos >= 0) {
          const p = promptAt(index, k, pos);
          found.push(p);
          pos = bytes.indexOf(needle, endOf(index, k, p));
        }
      }
      hits = Uint32Array.from(found);
    } else {
      let m = 0;
      for (let j = 0; j < hits.length; j++) {
        const p = hits[j];
        const k = pageOf(index.firstOf, p);
        const start = index.starts[p];
        const end = endOf(index, k, p);
        if (end - start >= needle.length && index.pages[k].subarray(start, end).indexOf(needle) >= 0) hits[m++] = p;
      }
      hits = hits.subarray(0, m);
    }
    if (hits.length === 0) break;
  }
  return hits.slice();
}

/** The search as matchQuery returns it: 1 per matching prompt. */
export function searchMask(index: SearchIndex, query: string): Uint8Array | null {
  const hits = searchPrompts(index, query);
  if (!hits) return null;
  const mask = new Uint8Array(index.prompts);
  for (let j = 0; j < hits.length; j++) mask[hits[j]] = 1;
  return mask;
}
