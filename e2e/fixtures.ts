import { test as base, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEMO_RUN = "demo";
const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Every test fails on a browser console error or an uncaught page error: the dashboard must
 * run clean. Errors are collected per page and checked after the test body.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`console: ${msg.text()} (${msg.location().url})`);
      });
      page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
      await use(errors);
      expect(errors, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** The `lim` CLI against the e2e server's database: the reference the browser must match. */
export function lim(args: string[]): Buffer {
  return execFileSync(process.execPath, [path.join(root, "bin/lim.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    maxBuffer: 1 << 30,
  });
}

export function limScoreSelected(run: string, threshold: number): number {
  const summary = JSON.parse(lim(["score", run, "--threshold", String(threshold), "--json"]).toString("utf8"));
  return summary.selected;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");
