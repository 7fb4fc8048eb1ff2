/**
 * Searching a run's prompts on the server (the run page never holds the texts): matchQuery's
 * rule, every word of the query in the text, case-insensitive, over each prompt's question
 * (promptQuestion: the whole question, not just the table's snippet).
 *
 * The index is every question lower-cased, as UTF-8, one after another with "\n" between
 * them (a query word never holds white space, so no match spans two prompts), and each
 * prompt's start. A word is found with Buffer.indexOf over the whole block, then the match is
 * mapped to its prompt by binary search and the scan jumps to the next prompt: a search of a
 * million prompts (~200 MB) is one native scan per word. Server only (node:buffer).
 */
import { Buffer } from "node:buffer";
import { promptQuestion } from "./prompt-text";
import { queryWords } from "./table-order";

export interface SearchIndex {
  /** The lower-cased questions, "\n" after each. */
  bytes: Buffer;
  /** starts[p]: where prompt p's text begins; starts[n]: the end. */
  starts: Uint32Array;
  prompts: number;
}

/**
 * Builds the index, yielding to the event loop every `chunk` prompts (a million take a second
 * or two; the server keeps answering meanwhile).
 */
export async function buildSearchIndex(texts: readonly string[], chunk = 20_000): Promise<SearchIndex> {
  const n = texts.length;
  const starts = new Uint32Array(n + 1);
  let bytes = Buffer.allocUnsafe(Math.max(1024, n * 64));
  let at = 0;
  for (let p = 0; p < n; p++) {
    if (p > 0 && p % chunk === 0) await new Promise((r) => setImmediate(r));
    const s = promptQuestion(texts[p]).toLowerCase();
    const need = Buffer.byteLength(s) + 1;
    if (at + need > bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + need));
      bytes.copy(grown, 0, 0, at);
      bytes = grown;
    }
    starts[p] = at;
    at += bytes.write(s, at, "utf8");
    bytes[at++] = 0x0a;
  }
  starts[n] = at;
  // Keep only what is used (a copy, so the larger buffer can go).
  return { bytes: Buffer.from(bytes.subarray(0, at)), starts, prompts: n };
}

/** The prompt whose text holds byte `pos`: the last p with starts[p] <= pos. */
function promptAt(starts: Uint32Array, n: number, pos: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Ordinals (ascending) of the prompts holding every word of the query; null for no query. */
export function searchPrompts(index: SearchIndex, query: string): Uint32Array | null {
  const words = [...new Set(queryWords(query))];
  if (words.length === 0) return null;
  const n = index.prompts;
  const { bytes, starts } = index;
  // Rarest-looking (longest) word first: later words only look inside the prompts left.
  words.sort((a, b) => b.length - a.length);
  let hits: Uint32Array = new Uint32Array(0);
  for (let w = 0; w < words.length; w++) {
    const needle = Buffer.from(words[w], "utf8");
    if (w === 0) {
      const found: number[] = [];
      let pos = bytes.indexOf(needle, 0);
      while (pos >= 0) {
        const p = promptAt(starts, n, pos);
        found.push(p);
        pos = bytes.indexOf(needle, starts[p + 1]);
      }
      hits = Uint32Array.from(found);
    } else {
      let m = 0;
      for (let j = 0; j < hits.length; j++) {
        const p = hits[j];
        const start = starts[p];
        const end = starts[p + 1];
        if (end - start >= needle.length && bytes.subarray(start, end).indexOf(needle) >= 0) hits[m++] = p;
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
