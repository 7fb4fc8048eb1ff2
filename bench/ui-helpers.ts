/**
 * What the browser benchmarks share (bench/ui.ts, bench/scale.ts): starting the built app
 * against a database, launching Chromium, the in-page probes (run page usable, threshold
 * change, curve opened) and small formatting helpers.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";

export const root = path.resolve(import.meta.dirname, "..");

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || "/usr/bin/chromium";
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface StartServerOptions {
  port: number;
  /** DATABASE_URL the app reads. */
  dbUrl: string;
  /** Where the server's output goes (default: this process's stdout and stderr). */
  stdio?: StdioOptions;
  /** Its own process group, so stopServer can end next start's children too. */
  detached?: boolean;
  /** How long to wait for the first answer (start.mjs rebuilds a stale app first). */
  timeoutMs?: number;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Called with the server process as soon as it is spawned (to stop it on Ctrl-C while it starts). */
  onSpawn?: (server: ChildProcess) => void;
  /** The checkout whose app is started (default this one). */
  app?: string;
}

/** `npm start` (scripts/start.mjs: migrations, a build when stale, next start); resolves once "/" answers. */
export async function startServer(o: StartServerOptions): Promise<ChildProcess> {
  const app = o.app ?? root;
  const server = spawn(process.execPath, [path.join(app, "scripts/start.mjs")], {
    cwd: app,
    env: { ...process.env, ...o.env, PORT: String(o.port), HOST: "127.0.0.1", DATABASE_URL: o.dbUrl },
    stdio: o.stdio ?? ["ignore", "inherit", "inherit"],
    detached: o.detached ?? false,
  });
  o.onSpawn?.(server);
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${o.port}/`)).ok) return server;
    } catch {}
    if (server.exitCode !== null || server.signalCode !== null) throw new Error("the server exited before answering");
    await new Promise((r) => setTimeout(r, 500));
  }
  await stopServer(server);
  throw new Error("the server did not answer in time");
}

/** SIGTERM (the group when detached), SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopServer(server: ChildProcess, graceMs = 15_000): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (server.pid && isGroupLeader(server.pid)) process.kill(-server.pid, sig);
      else server.kill(sig);
    } catch {}
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A detached child leads its own process group (pgid = pid). */
function isGroupLeader(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

/** Pids of a process's descendants (Linux /proc), depth first. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {}
    for (const c of tasks) {
      out.push(Number(c));
      visit(Number(c));
    }
  };
  visit(pid);
  return out;
}

/** VmRSS and VmHWM of one process, MB (null when it is gone or /proc is not there). */
export function processMemory(pid: number): { rssMB: number; hwmMB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMB: kb("VmRSS") / 1024, hwmMB: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/**
 * In-page probes, as plain JS text: tsx would wrap functions passed to page.evaluate with
 * helpers the page does not have. Installed on every navigation with addInitScript.
 */
export const PROBES = String.raw`
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
  // ms from choosing a method until its rule, count, histogram and table are in the DOM, and until painted.
  method(name) {
    return new Promise((resolve) => {
      const select = document.querySelector('select[aria-label="Method"]');
      const rule = document.querySelector('[data-testid="rule-text"]');
      const before = rule.textContent;
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
      const t0 = performance.now();
      setter.call(select, name);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      const check = () => {
        if (rule.textContent === before) return void queueMicrotask(check);
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

/** The thresholds a threshold-change measurement steps through (each changes the count on a typical run). */
export const THRESHOLD_VALUES = [0.5, 0.55, 0.6, 0.65, 0.7, 0.3, 0.8, 0.45, 0.62, 0.58];

export interface Usable {
  t: number;
  marks: Record<string, number>;
}

export async function runPageUsable(page: Page, url: string): Promise<number> {
  return (await runPageUsableWithMarks(page, url)).t;
}

/** Usable time with the page's own marks: fetch start, data received, parsed, model built. */
export async function runPageUsableWithMarks(page: Page, url: string): Promise<Usable> {
  await page.goto(url, { waitUntil: "commit" });
  return page.evaluate("window.__bench.usable()") as Promise<Usable>;
}

export async function thresholdChange(page: Page, value: number): Promise<{ dom: number; painted: number }> {
  const r = (await page.evaluate(`window.__bench.threshold(${JSON.stringify(value)})`)) as { dom: number; painted: number };
  // Let the address bar update (debounced 150 ms) land before the next change.
  await page.waitForTimeout(250);
  return r;
}

/** The methods a method-switch measurement cycles through (every one changes the rule's words). */
export const METHOD_CYCLE = ["variance", "learnability", "linear", "pass-rate", "rand", "cartography", "lim"];

export async function methodSwitch(page: Page, method: string): Promise<{ dom: number; painted: number }> {
  const r = (await page.evaluate(`window.__bench.method(${JSON.stringify(method)})`)) as { dom: number; painted: number };
  await page.waitForTimeout(250);
  return r;
}

export async function openCurve(page: Page, nth: number): Promise<number> {
  const r = (await page.evaluate(`window.__bench.curve(${nth})`)) as number;
  await page.waitForTimeout(250);
  return r;
}

/** The upper median (an element of xs), as bench:ui has always reported. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (x: number) => `${x.toFixed(0)} ms`;
