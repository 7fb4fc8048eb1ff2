/**
 * Searching a run's prompts on the server (the run page never holds the texts): matchQuery's
 * rule, every word of the query in the text, case-insensitive, over each prompt's question
 * (promptQuestion: the whole question, not just the table's snippet).
 *
 * The index is every question lower-cased, as UTF-8, one after another with "\n" between
 * them (a query word never holds white space, so no match spans two prompts), in pages of
 * ~1 MB that each end after a whole prompt, held deflated, and each prompt's start in its
 * page. A search inflates the pages a few at a time on zlib's threads and scans each with
 * Buffer.indexOf, mapping a match to its prompt by binary search and jumping to the next
 * prompt. Deflated, a million prompts' index is ~30-70 MB instead of ~200 MB held for as long
 * as the server runs; inflating it costs a search a few tenths of a second. Server only.
 */
import { Buffer } from "node:buffer";
import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import { nextTurn, type PromptBatches } from "./prompt-batches";
import { promptQuestion } from "./prompt-text";
import { queryWords } from "./table-order";

export interface SearchIndex {
  /** The lower-cased questions, "\n" after each, deflated page by page; no prompt spans two pages. */
  pages: Buffer[];
  /** Each page's length inflated. */
  pageLength: Uint32Array;
  /** firstOf[k]: the first prompt of page k; firstOf[pages.length]: the prompt count. */
  firstOf: Uint32Array;
  /** starts[p]: where prompt p's text begins in its page. */
  starts: Uint32Array;
  prompts: number;
}

export interface SearchIndexOptions {
  /** Bytes of a page (default 1 MB; a longer prompt gets a page of its own). */
  pageBytes?: number;
  /** Batches between two pauses for other requests (default 16). */
  batchesPerTurn?: number;
  pause?: () => Promise<void>;
}

const deflating = promisify(deflate);
const inflating = promisify(inflate);
/** Pages deflated or inflated at once, on zlib's thread pool. */
const AHEAD = 4;
/** Level 6: the index is deflated once and inflated at every search, and level 6 inflates fastest. */
const LEVEL = 6;

/** Builds the index from the prompts in ordinal order, a batch at a time. */
export async function buildSearchIndex(batches: PromptBatches, o: SearchIndexOptions = {}): Promise<SearchIndex> {
  const pageBytes = o.pageBytes ?? 1 << 20;
  const perTurn = o.batchesPerTurn ?? 16;
  const pause = o.pause ?? nextTurn;
  const pages: Promise<Buffer>[] = [];
  const pageLength: number[] = [];
  const firstOf: number[] = [];
  let starts: Uint32Array = new Uint32Array(1024);
  let page = Buffer.alloc(0);
  let at = 0;
  let n = 0;
  let seen = 0;
  const closePage = async () => {
    if (firstOf.length === pages.length) return;
    pages.push(deflating(page.subarray(0, at), { level: LEVEL }));
    pageLength.push(at);
    // A few pages in flight: the raw text never piles up when zlib's threads fall behind.
    if (pages.length > AHEAD) await pages[pages.length - 1 - AHEAD];
  };
  for await (const batch of batches) {
    if (++seen % perTurn === 0) await pause();
    if (n + batch.length > starts.length) starts = grown(starts, n + batch.length);
    for (const text of batch) {
      const s = promptQuestion(text).toLowerCase();
      const need = Buffer.byteLength(s) + 1;
      if (firstOf.length === pages.length || at + need > page.length) {
        await closePage();
        page = Buffer.allocUnsafe(Math.max(pageBytes, need));
        firstOf.push(n);
        at = 0;
      }
      starts[n++] = at;
      at += page.write(s, at, "utf8");
      page[at++] = 0x0a;
    }
  }
  await closePage();
  firstOf.push(n);
  return { pages: await Promise.all(pages), pageLength: Uint32Array.from(pageLength), firstOf: Uint32Array.from(firstOf), starts: starts.slice(0, n), prompts: n };
}

function grown(a: Uint32Array, need: number): Uint32Array {
  const b = new Uint32Array(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Ordinals (ascending) of the prompts holding every word of the query; null for no query. */
export async function searchPrompts(index: SearchIndex, query: string): Promise<Uint32Array | null> {
  const words = [...new Set(queryWords(query))];
  if (words.length === 0) return null;
  // Rarest-looking (longest) word first: later words only look inside the prompts left.
  words.sort((a, b) => b.length - a.length);
  const needles = words.map((w) => Buffer.from(w, "utf8"));
  const found: number[] = [];
  const start = (k: number) => {
    // One output chunk, a byte more than the page (a full chunk asks for another; zlib wants >= 64).
    const p = inflating(index.pages[k], { chunkSize: Math.max(64, index.pageLength[k] + 1) });
    p.catch(() => {}); // awaited in turn below
    return p;
  };
  const pending: (Promise<Buffer> | null)[] = index.pages.slice(0, AHEAD).map((_, k) => start(k));
  for (let k = 0; k < index.pages.length; k++) {
    const bytes = (await pending[k])!;
    if (k + AHEAD < index.pages.length) pending.push(start(k + AHEAD));
    pending[k] = null; // let the page go once scanned
    searchPage(index, k, bytes, needles, found);
  }
  return Uint32Array.from(found);
}

/** Appends to `found` the prompts of page k (inflated: `bytes`) that hold every needle. */
function searchPage(index: SearchIndex, k: number, bytes: Buffer, needles: Buffer[], found: number[]): void {
  const first = index.firstOf[k];
  const last = index.firstOf[k + 1] - 1;
  const end = (p: number) => (p < last ? index.starts[p + 1] : bytes.length);
  const hits: number[] = [];
  let pos = bytes.indexOf(needles[0], 0);
  while (pos >= 0) {
    // The prompt holding byte pos: the last p of the page with starts[p] <= pos.
    let lo = first;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (index.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    hits.push(lo);
    pos = bytes.indexOf(needles[0], end(lo));
  }
  for (const p of hits) {
    const text = bytes.subarray(index.starts[p], end(p));
    if (needles.every((needle, w) => w === 0 || (text.length >= needle.length && text.indexOf(needle) >= 0))) found.push(p);
  }
}

/** The search as matchQuery returns it: 1 per matching prompt. */
export async function searchMask(index: SearchIndex, query: string): Promise<Uint8Array | null> {
  const hits = await searchPrompts(index, query);
  return hits && maskOf(hits, index.prompts);
}

/** 1 per prompt among `hits`, of n prompts. */
export function maskOf(hits: Uint32Array, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  for (let j = 0; j < hits.length; j++) mask[hits[j]] = 1;
  return mask;
}

/** The words a query searches for, as one key: queries with the same words find the same prompts. */
export function searchKey(query: string): string {
  return [...new Set(queryWords(query))].sort().join(" ");
}
