import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { getPrompts, getRun, streamSampleBlocks, type RunCounts, type RunRecord } from "../../lib/db";
import { countedForPages } from "../../lib/lim/run-columns";
import { runCounts } from "../../lib/runs/run-counts";
import { RunNotFoundError, scoreRun, type ScoredRun, type ScoreOverrides } from "../../lib/runs/score-run";
import type { PromptBatches } from "../../lib/view/prompt-batches";
import { buildSearchIndex, searchKey, searchPrompts, type SearchIndex } from "../../lib/view/prompt-search";
import { encodeRunView } from "../../lib/view/run-view-bytes";
import { buildRunView } from "../../lib/view/run-view-data";
import { snippetRank } from "../../lib/view/text-order";

/**
 * Scored runs the server computed recently. A researcher moves between the runs list, a run
 * page, its prompts and the export with the same parameters; scoring 100k prompts again for
 * each would cost a second or more every time. Keyed by the run's id and the time its rows
 * last changed, so neither a replaced run nor a watched run that grew is served stale.
 */
interface Entry {
  scored: ScoredRun;
  rollouts: number[];
  /** The run page's binary body (run-view-bytes.ts), gzipped once per scored run. */
  view?: Promise<Buffer>;
}

const gzip = promisify(gzipCallback);
const STORE = Symbol.for("lim-studio.scored-runs");

/**
 * A run version's prompt texts: not held, but what is derived from them once, apart from the
 * scores (the texts do not change with the scoring parameters). The rows on screen, the export
 * and these builds read the texts from the run's stored blocks; a million prompts held as
 * strings were ~280 MB of the server's memory.
 */
interface RunTexts {
  runId: number;
  /** The run's prompt count. */
  count: number;
  search?: Promise<SearchIndex>;
  /** The last searches' hits, by searchKey, oldest first. */
  found: Map<string, Promise<Uint32Array | null>>;
  /** textRank of the snippets, as little-endian uint32 bytes. */
  rank?: Promise<Uint32Array>;
}

/**
 * Scored entries are kept while their columns fit this budget (the most recent one always):
 * eight runs of 100k prompts (~18 MB each), or one of a million (~180 MB of columns and
 * scores), so the server stays under 1 GB whatever the runs: scoring a million prompts anew
 * for other parameters needs ~300 MB more while it runs. `LIM_SCORED_CACHE_MB` changes it.
 */
const CACHE_BYTES = Math.max(0, Number(process.env.LIM_SCORED_CACHE_MB ?? 256)) * 1e6;
const MAX_ENTRIES = 8;
const MAX_TEXTS = 2;

/**
 * One cache per process. Next bundles route handlers and pages separately, so a module-level
 * Map would exist once per bundle: a prompt page opened after the run page scored the run
 * again (5 s at a million prompts) and held a second copy (~800 MB).
 */
const store = ((globalThis as { [STORE]?: Store })[STORE] ??= { cache: new Map(), sizes: new Map(), texts: new Map(), budget: CACHE_BYTES });
interface Store {
  /** Bytes the settled entries may hold. */
  budget: number;
  cache: Map<string, Promise<Entry>>;
  /** Bytes held by each settled entry (entryBytes). */
  sizes: Map<string, number>;
  texts: Map<string, RunTexts>;
}
const { cache, sizes, texts } = store;

const versionOf = (run: RunRecord) => `${run.id}:${new Date(run.updatedAt).getTime()}`;

export async function getScoredRun(name: string, overrides: ScoreOverrides = {}): Promise<Entry> {
  const run = await getRun(name);
  if (!run) throw new RunNotFoundError(name);
  return scoredEntry(run, overrides);
}

function scoredEntry(run: RunRecord, overrides: ScoreOverrides): Promise<Entry> {
  const version = versionOf(run);
  const key = JSON.stringify([version, overrides.stepsPerEpoch ?? null, overrides.maxEpochs ?? null, overrides.successReward ?? null, overrides.epochMode ?? null]);
  let entry = cache.get(key);
  // Room for a new entry is made before it is scored, not after: the run's entry for other
  // parameters (its size known) would otherwise stay beside the scoring's own ~300 MB at a
  // million prompts.
  let reserve = 0;
  if (entry) {
    cache.delete(key); // most recently used last
  } else {
    reserve = sizeOfVersion(version);
    entry = (async () => {
      const scored = await scoreRun(run.name, overrides, { withSums: true, withPrompts: false });
      // Held for the prompt pages: successes per record, not the reward histograms.
      if (scored.columns) scored.columns = countedForPages(scored.columns, scored.params.successReward, scored.run.successRule);
      // Texts are read from the database when needed (runs made from scores load them to score).
      scored.prompts = [];
      scored.datasetRows = [];
      return { scored, rollouts: scored.rollouts };
    })();
    entry.then(
      (e: Entry) => {
        if (cache.get(key) !== entry) return;
        sizes.set(key, entryBytes(e.scored));
        evict();
      },
      () => cache.delete(key),
    );
  }
  cache.set(key, entry);
  evict(reserve);
  return entry;
}

/** The size of a settled entry of this run version (another scoring of it is about as big), else 0. */
function sizeOfVersion(version: string): number {
  const prefix = JSON.stringify([version]).slice(0, -1) + ",";
  for (const [k, n] of sizes) if (k.startsWith(prefix)) return n;
  return 0;
}

/** Sets the byte budget and returns the previous one (for tests). */
export function setScoredCacheBudget(bytes: number): number {
  const was = store.budget;
  store.budget = bytes;
  evict();
  return was;
}

/** Oldest first, until the settled entries and `reserve` bytes fit the budget; the newest entry always stays. */
function evict(reserve = 0): void {
  for (const k of sizes.keys()) if (!cache.has(k)) sizes.delete(k);
  let held = reserve;
  for (const n of sizes.values()) held += n;
  for (const k of cache.keys()) {
    if (cache.size <= 1 || (cache.size <= MAX_ENTRIES && held <= store.budget)) break;
    held -= sizes.get(k) ?? 0;
    cache.delete(k);
    sizes.delete(k);
  }
}

/** What a scored entry holds. */
function entryBytes(s: ScoredRun): number {
  let n = s.exclusion.byteLength + 8 * (s.rollouts.length + s.scores.length);
  for (const part of [s.lim, s.columns]) {
    if (!part) continue;
    for (const v of Object.values(part)) if (ArrayBuffer.isView(v)) n += v.byteLength;
  }
  return n + (s.columns?.counted?.successes.byteLength ?? 0);
}

function rememberTexts(version: string, runId: number, t: RunTexts): void {
  // A watched run that grew, or a replaced one: its older texts are done with.
  for (const k of texts.keys()) if (k.startsWith(`${runId}:`)) texts.delete(k);
  texts.set(version, t);
  while (texts.size > MAX_TEXTS) texts.delete(texts.keys().next().value as string);
}

/**
 * The run page's data as one gzipped binary body, built once per scored run. Level 1, off the
 * main thread: a million prompts' columns (~25 MB) take a second or so, while the server
 * keeps answering.
 */
export async function getRunViewPayload(name: string, overrides: ScoreOverrides): Promise<Buffer> {
  const entry = await getScoredRun(name, overrides);
  if (!entry.view) {
    entry.view = gzip(encodeRunView(buildRunView(entry.scored, entry.rollouts)), { level: 1 });
    entry.view.catch(() => (entry.view = undefined));
  }
  return entry.view;
}

/** The current version of a run's texts (its prompt count, search index and text order). */
export async function getRunTexts(name: string): Promise<RunTexts> {
  const run = await getRun(name);
  if (!run) throw new RunNotFoundError(name);
  const version = versionOf(run);
  let t = texts.get(version);
  if (t) texts.delete(version); // most recently used last
  else t = { runId: run.id, count: run.sampleCount, found: new Map() };
  rememberTexts(version, run.id, t);
  return t;
}

/** The stored prompts of some ordinals (each below t.count), in the order asked. */
export function promptsOf(t: RunTexts, ordinals: readonly number[]): Promise<string[]> {
  return getPrompts(t.runId, ordinals);
}

/** The run's prompts in ordinal order, a stored block at a time. */
async function* promptBatches(runId: number): PromptBatches {
  for await (const block of streamSampleBlocks(runId)) yield block.prompts;
}

/** The search index of a run's prompts (prompt-search.ts), built on first use. */
export function searchIndexOf(t: RunTexts): Promise<SearchIndex> {
  t.search ??= buildSearchIndex(promptBatches(t.runId));
  t.search.catch(() => (t.search = undefined));
  return t.search;
}

/** Searches remembered per run version: a search inflates the whole index (~0.3 s at a million prompts). */
const KEPT_SEARCHES = 8;

/**
 * The ordinals of the prompts holding every word of q (searchPrompts), null for no word. The
 * last few are kept: the prompt pages of a searched table and a query typed again ask for the
 * same search over and over.
 */
export function searchHits(t: RunTexts, q: string): Promise<Uint32Array | null> {
  const key = searchKey(q);
  let hits = t.found.get(key);
  if (hits) t.found.delete(key); // most recently used last
  else {
    hits = searchIndexOf(t).then((index) => searchPrompts(index, q));
    hits.catch(() => t.found.delete(key));
  }
  t.found.set(key, hits);
  while (t.found.size > KEPT_SEARCHES) t.found.delete(t.found.keys().next().value as string);
  return hits;
}

/**
 * The prompt column's sort: each prompt's rank in case-insensitive order of its snippet (what
 * the table shows), built on first use a slice at a time (lib/view/text-order.ts).
 */
export function textRankOf(t: RunTexts): Promise<Uint32Array> {
  t.rank ??= snippetRank(promptBatches(t.runId));
  t.rank.catch(() => (t.rank = undefined));
  return t.rank;
}

/** Scored and excluded counts at a run's own parameters, for the runs list: stored with the run. */
export async function getRunCounts(run: RunRecord): Promise<RunCounts> {
  return runCounts(run);
}

/** Forget cached scores and texts (after a delete or an ingest). */
export function forgetRun(): void {
  cache.clear();
  sizes.clear();
  texts.clear();
}
