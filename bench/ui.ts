/**
 * `npm run bench:ui`: how the dashboard feels, measured in Chromium against the built app.
 *   - run page usable (histogram, selected count and first table rows drawn), from navigation
 *     start, for the 8.5k-prompt demo run and a generated 100k-prompt run (first visit with a
 *     cold browser, then repeated visits), with the page's own breakdown;
 *   - re-scoring on the server after a parameter change (100k prompts);
 *   - a threshold change at 100k prompts: count, histogram and table updated and painted;
 *   - switching the selection method at 100k prompts (first visit of each method, then again);
 *   - opening a prompt's curve from the table;
 *   - the texts, which come apart from the run's columns: the first rows' texts in, a search
 *     (server side, typed into the box), the first sort by prompt (the server's text order) and
 *     a scroll far down the table until the new rows' texts are in.
 * Runs are generated (seeded) and ingested once into the bench's own database,
 * .bench-cache/ui/ui.db; the generated logs are removed after ingest.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { generateRun } from "../lib/demo/generate-run";
import {
  freePort,
  launchChromium,
  median,
  METHOD_CYCLE,
  methodSwitch,
  ms,
  openCurve,
  PROBES,
  root,
  runPageUsable,
  runPageUsableWithMarks,
  startServer as startApp,
  THRESHOLD_VALUES,
  thresholdChange,
  type Usable,
} from "./ui-helpers";

const cache = path.join(root, ".bench-cache", "ui");
const dbUrl = `file:${path.join(cache, "ui.db")}`;
const BIG = { name: "bench-100k", prompts: 100_000, epochs: 8, stepsPerEpoch: 4, promptsPerStep: 24_000, rolloutsPerPrompt: 4, responseBytes: 24, seed: 100 };
const REPEAT = 5;

function lim(args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, "bin/lim.mjs"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

async function ensureBigRun(): Promise<void> {
  const runs = JSON.parse(lim(["runs", "--json"])) as { name: string }[];
  if (runs.some((r) => r.name === BIG.name)) return;
  const dir = path.join(cache, `run-${BIG.prompts}-${BIG.epochs}x${BIG.stepsPerEpoch}-${BIG.seed}`);
  if (!existsSync(path.join(dir, "dataset.json"))) {
    console.error(`generating a ${BIG.prompts.toLocaleString("en-US")}-prompt run into ${dir} (once)…`);
    await generateRun({ dir, ...BIG });
  }
  console.error(`ingesting ${BIG.name}…`);
  lim(["ingest", path.join(dir, "train"), "--name", BIG.name, "--steps-per-epoch", String(BIG.stepsPerEpoch), "--dataset", path.join(dir, "dataset.json")]);
  // The run now lives in the bench database; its ~1 GB of logs can be regenerated (seeded).
  rmSync(dir, { recursive: true, force: true });
}

const startServer = (port: number) => startApp({ port, dbUrl });

/**
 * Probes for the texts the page fetches apart from the columns (plain JS text, as PROBES):
 * each resolves once the rows it waits for show their texts, not placeholders.
 */
const TEXT_PROBES = String.raw`
window.__benchTexts = (() => {
  const pending = () => document.querySelector(".pt-body-row .text-pending");
  const rowsIn = () => (document.querySelector(".pt-body-row") || document.querySelector(".pt-empty")) && !pending();
  const until = (ok, t0) => new Promise((resolve) => {
    const tick = () => (ok() ? requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)) : requestAnimationFrame(tick));
    tick();
  });
  const rowsCount = () => document.querySelector('[data-testid="rows-count"]')?.textContent ?? "";
  return {
    // ms from navigation start until the first rows show their texts.
    firstTexts() { return until(rowsIn, 0); },
    // ms from typing a query until the filtered rows are drawn, and until their texts are in.
    search(q) {
      const input = document.querySelector('input[type="search"]');
      const before = rowsCount();
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
      const t0 = performance.now();
      setter.call(input, q);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const filtered = () => rowsCount() !== before && !/searching/.test(rowsCount());
      return until(filtered, t0).then((rows) => until(() => filtered() && rowsIn(), t0).then((texts) => ({ rows, texts, count: rowsCount() })));
    },
    // ms from a click on the Prompt header until the rows are in text order with their texts.
    sortByPrompt() {
      const first = () => document.querySelector(".pt-body-row")?.dataset.ordinal;
      const before = first();
      const button = [...document.querySelectorAll(".pt-head .sort-button")].find((b) => /Prompt/.test(b.textContent));
      const t0 = performance.now();
      button.click();
      return until(() => first() !== before && rowsIn(), t0);
    },
    // ms from a jump of the table's scroll to row n until that row shows its text. Past the
    // browsers' height cap the scroll space is compressed (lib/view/table-scroll.ts): the
    // first row shown follows scrollTop x (rows x 34 - viewport) / (scrollHeight - viewport).
    scrollTo(n) {
      const el = document.querySelector('[data-testid="prompt-table-scroll"]');
      const rows = Number(document.querySelector(".prompt-table").getAttribute("aria-rowcount")) - 1;
      const vp = el.clientHeight;
      const t0 = performance.now();
      el.scrollTop = (n * 34 * (el.scrollHeight - vp)) / Math.max(1, rows * 34 - vp);
      return until(() => { const r = document.querySelector('.pt-body-row[aria-rowindex="' + (n + 2) + '"]'); return r && !r.querySelector(".text-pending") && rowsIn(); }, t0);
    },
  };
})();`;

async function main() {
  mkdirSync(cache, { recursive: true });
  const port = await freePort();
  // start.mjs migrates and ingests the demo run into the empty bench database first.
  let server = await startServer(port);
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  await ensureBigRun();
  server = await startServer(port);
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(PROBES);
    await page.addInitScript(TEXT_PROBES);
    const base = `http://127.0.0.1:${port}`;
    for (const [label, run] of [
      ["demo run (8.5k prompts)", "demo"],
      ["generated run (100k prompts)", BIG.name],
    ] as const) {
      const cold = await runPageUsable(page, `${base}/runs/${run}`);
      const warm: Usable[] = [];
      for (let i = 0; i < REPEAT; i++) warm.push(await runPageUsableWithMarks(page, `${base}/runs/${run}`));
      const bytes = (await (await fetch(`${base}/api/runs/${run}/view`)).arrayBuffer()).byteLength;
      const mid = [...warm].sort((a, b) => a.t - b.t)[Math.floor(warm.length / 2)];
      const m = mid.marks;
      const firstTexts = (await page.evaluate("window.__benchTexts.firstTexts()")) as number;
      lines.push(`run page usable, ${label}: first visit ${ms(cold)}, then median ${ms(mid.t)} of ${REPEAT} (data ${(bytes / 1e6).toFixed(1)} MB gzipped); first rows' texts in at ${ms(firstTexts)}`);
      lines.push(
        `    of which: page + scripts until the data request ${ms(m["lim:view-fetch"])}, data in ${ms(m["lim:view-received"] - m["lim:view-fetch"])}, decode ${ms(m["lim:view-parsed"] - m["lim:view-received"])}, columns ${ms(m["lim:model-built"] - m["lim:view-parsed"])}, sort + first render ${ms(mid.t - m["lim:model-built"])}`,
      );
    }
    // A parameter change re-scores on the server from the stored aggregates (no cache hit).
    const rescore: number[] = [];
    for (const maxEpochs of [BIG.epochs - 1, BIG.epochs - 2, BIG.epochs - 3]) {
      const t = performance.now();
      await (await fetch(`${base}/api/runs/${BIG.name}/view?maxEpochs=${maxEpochs}`)).arrayBuffer();
      rescore.push(performance.now() - t);
    }
    lines.push(`re-score with new parameters on the server (100k prompts, score + shape + gzip): median ${ms(median(rescore))}`);
    await runPageUsable(page, `${base}/runs/${BIG.name}`);
    const values = THRESHOLD_VALUES;
    const all = [];
    for (const v of values) all.push(await thresholdChange(page, v));
    lines.push(`threshold change at 100k prompts (count, histogram, table): DOM updated median ${ms(median(all.map((x) => x.dom)))}, painted median ${ms(median(all.map((x) => x.painted)))}, worst painted ${ms(Math.max(...all.map((x) => x.painted)))}`);
    await runPageUsable(page, `${base}/runs/${BIG.name}?filter=selected`);
    const filtered = [];
    for (const v of values) filtered.push(await thresholdChange(page, v));
    lines.push(`threshold change at 100k with the "Selected" filter (table re-filtered): painted median ${ms(median(filtered.map((x) => x.painted)))}, worst ${ms(Math.max(...filtered.map((x) => x.painted)))}`);
    // Switching method at 100k: every method's scores are computed once when the run loads;
    // the first switch to a method sorts its scores for the histogram, later ones reuse them.
    await runPageUsable(page, `${base}/runs/${BIG.name}`);
    const firstSwitch = [];
    for (const m of METHOD_CYCLE) firstSwitch.push(await methodSwitch(page, m));
    const again = [];
    for (let round = 0; round < 2; round++) for (const m of METHOD_CYCLE) again.push(await methodSwitch(page, m));
    const all2 = [...firstSwitch, ...again].map((x) => x.painted);
    lines.push(
      `method switch at 100k prompts (rule, count, histogram, table): painted median ${ms(median(all2))} of ${all2.length}, worst ${ms(Math.max(...all2))}; first visit of each method median ${ms(median(firstSwitch.map((x) => x.painted)))}, later ${ms(median(again.map((x) => x.painted)))}`,
    );
    const curves = [];
    for (let i = 0; i < 8; i++) curves.push(await openCurve(page, i * 3));
    lines.push(`open a prompt's curve (row click -> curve vs average painted), 100k run: median ${ms(median(curves))}, worst ${ms(Math.max(...curves))}`);

    // Texts at 100k: search on the server, the text order, scrolling.
    const searches: { rows: number; texts: number }[] = [];
    for (const q of ["triangle", "hypotenuse radical", "θ cos", "probability marbles"]) {
      await runPageUsable(page, `${base}/runs/${BIG.name}`);
      await page.evaluate("window.__benchTexts.firstTexts()");
      searches.push((await page.evaluate(`window.__benchTexts.search(${JSON.stringify(q)})`)) as { rows: number; texts: number });
    }
    lines.push(`search at 100k (typed -> rows filtered, incl. the 200 ms typing pause): median ${ms(median(searches.map((x) => x.rows)))}, texts in ${ms(median(searches.map((x) => x.texts)))}, worst ${ms(Math.max(...searches.map((x) => x.texts)))}`);
    const sorts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await runPageUsable(page, `${base}/runs/${BIG.name}`);
      await page.evaluate("window.__benchTexts.firstTexts()");
      sorts.push((await page.evaluate("window.__benchTexts.sortByPrompt()")) as number);
    }
    lines.push(`sort by prompt at 100k (click -> rows in text order with texts): first ${ms(sorts[0])} (the server builds the text order), then ${sorts.slice(1).map(ms).join(", ")}`);
    await runPageUsable(page, `${base}/runs/${BIG.name}`);
    await page.evaluate("window.__benchTexts.firstTexts()");
    const scrolls: number[] = [];
    for (const row of [5_000, 40_000, 77_777, 99_000, 12_345, 60_000]) {
      scrolls.push((await page.evaluate(`window.__benchTexts.scrollTo(${row})`)) as number);
      await page.waitForTimeout(100);
    }
    lines.push(`scroll far down the 100k table (jump -> that row's text in): median ${ms(median(scrolls))}, worst ${ms(Math.max(...scrolls))}`);
  } finally {
    await browser.close();
    server.kill("SIGTERM");
  }
  console.log(`\nLIM Studio UI benchmark (Chromium ${browser.version()}, ${process.platform}, ${(await import("node:os")).cpus().length} cores)`);
  for (const l of lines) console.log(`  ${l}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
