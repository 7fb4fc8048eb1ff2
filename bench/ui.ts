/**
 * `npm run bench:ui`: how the dashboard feels, measured in Chromium against the built app.
 *   - run page usable (histogram, selected count and first table rows drawn), from navigation
 *     start, for the 8.5k-prompt demo run and a generated 100k-prompt run (first visit with a
 *     cold browser, then repeated visits), with the page's own breakdown;
 *   - re-scoring on the server after a parameter change (100k prompts);
 *   - a threshold change at 100k prompts: count, histogram and table updated and painted;
 *   - opening a prompt's curve from the table.
 * Runs are generated (seeded) and ingested once into the bench's own database,
 * .bench-cache/ui/ui.db; the generated logs are removed after ingest.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { generateRun } from "../lib/demo/generate-run";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".bench-cache", "ui");
const dbUrl = `file:${path.join(cache, "ui.db")}`;
const BIG = { name: "bench-100k", prompts: 100_000, epochs: 8, stepsPerEpoch: 4, promptsPerStep: 24_000, rolloutsPerPrompt: 4, responseBytes: 24, seed: 100 };
const REPEAT = 5;

function lim(args: string[]): string {
  return execFileSync(process.execPath, [path.join(root, "bin/lim.mjs"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: dbUrl }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
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

async function startServer(port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: dbUrl },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return server;
    } catch {}
    if (server.exitCode !== null) throw new Error("the server exited before answering");
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not answer in time");
}

/**
 * In-page probes, as plain JS text: tsx would wrap functions passed to page.evaluate with
 * helpers the page does not have. Installed on every navigation with addInitScript.
 */
const PROBES = String.raw`
window.__bench = {
  // ms from navigation start until histogram, count and first table rows are drawn.
  usable() {
    return new Promise((resolve) => {
      const count = () => document.querySelector('[data-testid="selected-count"]')?.textContent ?? "";
      const ready = () => document.querySelector('[data-testid="score-histogram"] rect') && /\d/.test(count()) && !/Loading/.test(count()) && document.querySelector(".pt-body-row");
      const marks = () => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]));
      const tick = () => (ready() ? requestAnimationFrame(() => resolve({ t: performance.now(), marks: marks() })) : requestAnimationFrame(tick));
      tick();
    });
  },
  // ms from a threshold input event until the new count is in the DOM, and until painted.
  threshold(v) {
    return new Promise((resolve) => {
      const input = document.querySelector('input[type="number"][aria-label="Threshold"]');
      const count = document.querySelector('[data-testid="selected-count"]');
      const before = count.textContent;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
      const t0 = performance.now();
      setter.call(input, String(v));
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const check = () => {
        if (count.textContent === before) return void queueMicrotask(check);
        const dom = performance.now() - t0;
        requestAnimationFrame(() => setTimeout(() => resolve({ dom, painted: performance.now() - t0 }), 0));
      };
      check();
    });
  },
  // ms from a row click until that prompt's curve against the average is painted.
  curve(n) {
    return new Promise((resolve) => {
      const rows = document.querySelectorAll(".pt-body-row");
      const row = rows[n % rows.length];
      const ordinal = row.dataset.ordinal;
      const t0 = performance.now();
      row.click();
      const tick = () => {
        const panel = document.querySelector('[data-testid="prompt-panel"]');
        const drawn = panel && panel.textContent.includes("Prompt #" + ordinal) && panel.querySelector(".curve-prompt path.recharts-curve")?.getAttribute("d") && panel.querySelector(".curve-average path.recharts-curve")?.getAttribute("d");
        if (drawn) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        else requestAnimationFrame(tick);
      };
      tick();
    });
  },
};`;

interface Usable {
  t: number;
  marks: Record<string, number>;
}

async function runPageUsable(page: Page, url: string): Promise<number> {
  return (await runPageUsableWithMarks(page, url)).t;
}

/** Usable time with the page's own marks: fetch start, data received, parsed, model built. */
async function runPageUsableWithMarks(page: Page, url: string): Promise<Usable> {
  await page.goto(url, { waitUntil: "commit" });
  return page.evaluate("window.__bench.usable()") as Promise<Usable>;
}

async function thresholdChange(page: Page, value: number): Promise<{ dom: number; painted: number }> {
  const r = (await page.evaluate(`window.__bench.threshold(${JSON.stringify(value)})`)) as { dom: number; painted: number };
  // Let the address bar update (debounced 150 ms) land before the next change.
  await page.waitForTimeout(250);
  return r;
}

async function openCurve(page: Page, nth: number): Promise<number> {
  const r = (await page.evaluate(`window.__bench.curve(${nth})`)) as number;
  await page.waitForTimeout(250);
  return r;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  mkdirSync(cache, { recursive: true });
  const port = await freePort();
  // start.mjs migrates and ingests the demo run into the empty bench database first.
  let server = await startServer(port);
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  await ensureBigRun();
  server = await startServer(port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(PROBES);
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
      lines.push(`run page usable, ${label}: first visit ${ms(cold)}, then median ${ms(mid.t)} of ${REPEAT} (data ${(bytes / 1e6).toFixed(1)} MB gzipped)`);
      lines.push(
        `    of which: page + scripts until the data request ${ms(m["lim:view-fetch"])}, data in ${ms(m["lim:view-received"] - m["lim:view-fetch"])}, JSON.parse ${ms(m["lim:view-parsed"] - m["lim:view-received"])}, columns ${ms(m["lim:model-built"] - m["lim:view-parsed"])}, sort + first render ${ms(mid.t - m["lim:model-built"])}`,
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
    const values = [0.5, 0.55, 0.6, 0.65, 0.7, 0.3, 0.8, 0.45, 0.62, 0.58];
    const all = [];
    for (const v of values) all.push(await thresholdChange(page, v));
    lines.push(`threshold change at 100k prompts (count, histogram, table): DOM updated median ${ms(median(all.map((x) => x.dom)))}, painted median ${ms(median(all.map((x) => x.painted)))}, worst painted ${ms(Math.max(...all.map((x) => x.painted)))}`);
    await runPageUsable(page, `${base}/runs/${BIG.name}?filter=selected`);
    const filtered = [];
    for (const v of values) filtered.push(await thresholdChange(page, v));
    lines.push(`threshold change at 100k with the "Selected" filter (table re-filtered): painted median ${ms(median(filtered.map((x) => x.painted)))}, worst ${ms(Math.max(...filtered.map((x) => x.painted)))}`);
    const curves = [];
    for (let i = 0; i < 8; i++) curves.push(await openCurve(page, i * 3));
    lines.push(`open a prompt's curve (row click -> curve vs average painted), 100k run: median ${ms(median(curves))}, worst ${ms(Math.max(...curves))}`);
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
