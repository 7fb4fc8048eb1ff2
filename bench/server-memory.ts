/**
 * `npm run bench:server -- --db FILE [--run NAME]`: the web server's memory and times on a
 * stored run, step by step, as a researcher uses it: the run page in Chromium (first visit
 * after the server's start, then warm visits), a search, the order by prompt text, prompt
 * pages, reference answers, the exports, then the run's data for other scoring parameters.
 *
 * The built app is started with scripts/start.mjs (`--app DIR`: another checkout's, to set
 * two versions side by side) on a free port. The RSS of the `next start` process (the
 * largest process under start.mjs) is read from /proc every 50 ms; after each step the
 * report gives the RSS once the step is done, the peak during it, and the SHA-256 of every
 * answer, so two versions' answers can be compared byte for byte.
 *
 * Flags: --db FILE (a SQLite file holding the run), --run NAME (default "scale"), --app DIR
 * (default this checkout), --no-ui (skip Chromium: the run page's data is fetched instead),
 * --page-only (the run page's visits alone, to time two versions in turn), --json (the
 * figures as JSON on stdout).
 */
import { createHash } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { descendants, freePort, launchChromium, PROBES, processMemory, root, runPageUsable, startServer, stopServer } from "./ui-helpers";

const { values } = parseArgs({
  options: {
    db: { type: "string" },
    run: { type: "string", default: "scale" },
    app: { type: "string", default: root },
    ui: { type: "boolean", default: true },
    "no-ui": { type: "boolean", default: false },
    "page-only": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
if (!values.db) throw new Error("--db FILE is required (a SQLite file holding the run)");
const RUN = values.run!;
const useUi = values.ui && !values["no-ui"];
const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + "\n");

interface Step {
  step: string;
  ms: number;
  rssMB: number;
  peakMB: number;
  sha256?: string;
  bytes?: number;
}

/** The `next start` process: the largest process below start.mjs. */
function serverRss(startPid: number): number {
  let most = 0;
  for (const pid of descendants(startPid)) most = Math.max(most, processMemory(pid)?.rssMB ?? 0);
  return most;
}

const steps: Step[] = [];
let peak = 0;

async function main() {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "lim-server-memory-"));
  const logFile = path.join(logDir, "server.log");
  const fd = openSync(logFile, "w");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer({ port, dbUrl: `file:${path.resolve(values.db!)}`, stdio: ["ignore", fd, fd], detached: true, env: { LIM_NO_DEMO: "1" }, app: values.app });
  const sampler = setInterval(() => (peak = Math.max(peak, serverRss(server.pid!))), 50);
  const browser = useUi ? await launchChromium() : null;
  try {
    say(`server started (${values.app}); RSS ${serverRss(server.pid!).toFixed(0)} MB`);
    const measure = async (step: string, work: () => Promise<Buffer | void>) => {
      peak = serverRss(server.pid!);
      const t0 = performance.now();
      const body = await work();
      const ms = performance.now() - t0;
      // Settle: what the step leaves held, not its garbage of the moment.
      await new Promise((r) => setTimeout(r, 1000));
      const rssMB = serverRss(server.pid!);
      const s: Step = { step, ms, rssMB, peakMB: Math.max(peak, rssMB) };
      if (body) Object.assign(s, { sha256: createHash("sha256").update(body).digest("hex").slice(0, 16), bytes: body.length });
      steps.push(s);
      say(`${step.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   RSS ${s.rssMB.toFixed(0).padStart(5)} MB   peak ${s.peakMB.toFixed(0).padStart(5)} MB${s.sha256 ? `   ${s.bytes} B ${s.sha256}` : ""}`);
    };
    const get = async (url: string): Promise<Buffer> => {
      const res = await fetch(base + url);
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok) throw new Error(`${url}: ${res.status} ${body.toString("utf8").slice(0, 200)}`);
      return body;
    };
    const api = `/api/runs/${encodeURIComponent(RUN)}`;

    if (browser) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(600_000);
      await page.addInitScript(PROBES);
      const url = `${base}/runs/${encodeURIComponent(RUN)}`;
      await measure("run page, first visit (Chromium)", async () => void (await runPageUsable(page, url)));
      for (let i = 1; i <= 3; i++) await measure(`run page, warm visit ${i}`, async () => void (await runPageUsable(page, url)));
      await page.close();
    }
    if (values["page-only"]) return;
    await measure("run page's data (/view)", () => get(`${api}/view`));
    await measure("texts, 3 screens of 60 rows", async () => {
      const parts: Buffer[] = [];
      for (const start of [0, 500_000, 999_940]) parts.push(await get(`${api}/texts?ordinals=${Array.from({ length: 60 }, (_, i) => start + i).join(",")}`));
      return Buffer.concat(parts);
    });
    await measure("search, first (q=hypotenuse radical)", () => get(`${api}/search?q=hypotenuse+radical`));
    await measure("search, again (q=Mod 51)", () => get(`${api}/search?q=mod+51`));
    await measure("search, no hit (q=zzzqqq)", () => get(`${api}/search?q=zzzqqq`));
    await measure("text order (/text-order)", () => get(`${api}/text-order`));
    await measure("texts, 60 rows after the order", () => get(`${api}/texts?ordinals=${Array.from({ length: 60 }, (_, i) => 250_000 + 7 * i).join(",")}`));
    await measure("reference answers, 60 rows", () => get(`${api}/answers?ordinals=${Array.from({ length: 60 }, (_, i) => 123_456 + i).join(",")}`));
    const pages = [`0`, `417`, `999999?sort=prompt`, `31337?q=hypotenuse`, `500000?sort=prompt&desc=1&q=radical`];
    for (const p of pages) await measure(`prompt page ${p}`, () => get(`/runs/${encodeURIComponent(RUN)}/prompts/${p}`).then(pageText));
    await measure("export jsonl, threshold 0.6", () => get(`${api}/export?threshold=0.6`));
    await measure("export json, top 50000 variance, scores", () => get(`${api}/export?method=variance&top=50000&format=json&withScores=true`));
    await measure("export parquet, threshold 0.8, scores", () => get(`${api}/export?threshold=0.8&format=parquet&withScores=true`));
    await measure("run page's data, 4 steps per epoch", () => get(`${api}/view?stepsPerEpoch=4`));
    await measure("prompt page 417, 4 steps per epoch", () => get(`/runs/${encodeURIComponent(RUN)}/prompts/417?stepsPerEpoch=4`).then(pageText));
    await measure("run page's data, 8 steps per epoch again", () => get(`${api}/view?stepsPerEpoch=8`));
    say(`largest RSS seen: ${Math.max(...steps.map((s) => s.peakMB)).toFixed(0)} MB`);
    if (values.json) process.stdout.write(JSON.stringify({ app: values.app, steps }, null, 2) + "\n");
  } catch (e) {
    say(`failed: ${(e as Error).message}\n${readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n")}`);
    process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await browser?.close().catch(() => {});
    await stopServer(server);
    closeSync(fd);
    rmSync(logDir, { recursive: true, force: true });
  }
}

/**
 * A page's visible text: scripts (build ids, nonces, the streamed payload) and tags dropped, and
 * the loading skeleton, which shows or not with the timing, left out.
 */
function pageText(page: Buffer): Buffer {
  const html = page.toString("utf8").replace(/<script[\s\S]*?<\/script>/g, "").replace(/<template[\s\S]*?<\/template>/g, "");
  const body = /<body[\s\S]*<\/body>/.exec(html)?.[0] ?? "";
  const text = body.replace(/<main[^>]*aria-busy="true"[\s\S]*?<\/main>/, "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
  return Buffer.from(text);
}

main();
