import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { generateRun } from "../../lib/demo/generate-run";
import { useTempDatabase, type TempDatabase } from "../../lib/db/test-db";
import { loadSamples } from "../../lib/db";
import { ingestRun } from "../../lib/ingest/ingest-run";
import { tempDir } from "../../lib/ingest/test-helpers";
import { buildSearchIndex, searchMask, searchPrompts } from "../../lib/view/prompt-search";
import { promptSnippet } from "../../lib/view/prompt-text";
import { textRank } from "../../lib/view/table-order";

type ScoredRuns = typeof import("./scored-runs");
/** A fresh instance of the module, as a second Next bundle holds its own copy. */
const load = (copy: string): Promise<ScoredRuns> => import(`./scored-runs.ts?copy=${copy}`);

let db: TempDatabase;
const tmp = tempDir("lim-scored-runs-");
before(async () => {
  db = await useTempDatabase();
  const gen = await generateRun({ dir: tmp.dir, prompts: 200, epochs: 4, stepsPerEpoch: 2, promptsPerStep: 100, rolloutsPerPrompt: 4, responseBytes: 40, seed: 9 });
  await ingestRun({ path: gen.trainDir, name: "cached", stepsPerEpoch: 2 });
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

test("every copy of the module shares one cache: a page opened after a route does not score the run again", async () => {
  const route = await load("route");
  const page = await load("page");
  route.forgetRun();
  const first = await route.getScoredRun("cached");
  assert.equal(await page.getScoredRun("cached"), first, "the page's copy finds the route's entry");
  assert.equal(await page.getRunTexts("cached"), await route.getRunTexts("cached"), "and the same texts");
  page.forgetRun();
  assert.notEqual(await route.getScoredRun("cached"), first, "forgetting in one copy forgets for all");
});

test("scored entries are kept within the byte budget, the newest always", async () => {
  const m = await load("budget");
  m.forgetRun();
  const a = await m.getScoredRun("cached", { stepsPerEpoch: 1 });
  const b = await m.getScoredRun("cached", { stepsPerEpoch: 2 });
  assert.equal(await m.getScoredRun("cached", { stepsPerEpoch: 1 }), a, "small runs: both fit");
  // With no room at all, only the entry just asked for stays.
  const budget = m.setScoredCacheBudget(0);
  try {
    const c = await m.getScoredRun("cached", { stepsPerEpoch: 4 });
    assert.equal(await m.getScoredRun("cached", { stepsPerEpoch: 4 }), c);
    assert.notEqual(await m.getScoredRun("cached", { stepsPerEpoch: 2 }), b, "evicted, scored again");
  } finally {
    m.setScoredCacheBudget(budget);
  }
});

test("an entry holds no prompt texts; the texts, search and text order read them from the run's blocks", async () => {
  const m = await load("texts");
  m.forgetRun();
  const { scored } = await m.getScoredRun("cached");
  assert.deepEqual([scored.prompts.length, scored.datasetRows.length], [0, 0]);
  const all = (await loadSamples(scored.run.id)).map((s) => s.prompt);
  const t = await m.getRunTexts("cached");
  assert.equal(t.count, all.length);
  const asked = [199, 3, 150, 3, 0];
  assert.deepEqual(await m.promptsOf(t, asked), asked.map((o) => all[o]));
  const word = all[17].split(/\s+/).find((w) => w.length > 3)!;
  assert.deepEqual(await searchMask(await m.searchIndexOf(t), word), await searchMask(await buildSearchIndex([all]), word));
  assert.deepEqual([...(await m.textRankOf(t))], [...textRank(all.map((p) => promptSnippet(p)))]);
  // A search is kept: the same words, in another order or case, are not searched again.
  const hits = await m.searchHits(t, `${word} ${all[17].split(/\s+/)[0]}`);
  assert.deepEqual([...hits!], [...(await searchPrompts(await buildSearchIndex([all]), `${word} ${all[17].split(/\s+/)[0]}`))!]);
  assert.equal(await m.searchHits(t, `  ${all[17].split(/\s+/)[0].toUpperCase()}   ${word}`), hits);
  assert.equal(await m.searchHits(t, " "), null);
});

test("scoring a run for other parameters makes room first: its entry for the old ones goes before, not after", async () => {
  const m = await load("room");
  m.forgetRun();
  const store = (globalThis as Record<symbol, { cache: Map<string, unknown>; sizes: Map<string, number> }>)[Symbol.for("lim-studio.scored-runs")];
  const a = await m.getScoredRun("cached", { stepsPerEpoch: 1 });
  const [size] = store.sizes.values();
  const budget = m.setScoredCacheBudget(1.5 * size); // room for one entry, not two
  try {
    const pending = m.getScoredRun("cached", { stepsPerEpoch: 2 });
    const started = () => [...store.cache.keys()].some((k) => JSON.parse(k)[1] === 2);
    for (let i = 0; i < 1000 && !started(); i++) await new Promise((r) => setImmediate(r));
    assert.ok(started());
    assert.equal(store.cache.size, 1, "only the entry being scored is held while it is scored");
    await pending;
    assert.notEqual(await m.getScoredRun("cached", { stepsPerEpoch: 1 }), a, "evicted, scored again");
  } finally {
    m.setScoredCacheBudget(budget);
  }
});
