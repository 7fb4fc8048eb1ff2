import { defineConfig, devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * e2e against the BUILT app: the web server is `npm start` itself (migrate, demo run, build
 * when stale, next start) on a free port with its own temporary database. The port and the
 * database are chosen once, in the main process, and reach the workers through the env.
 * E2E_DATABASE_URL may name a PostgreSQL database (scripts/test-e2e-postgres.sh); E2E_REPORT
 * moves the JSON report so that pass does not overwrite this one.
 */
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, ["-e", "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"], { encoding: "utf8" }).trim();
}
if (!process.env.E2E_DATABASE_URL) {
  process.env.E2E_DATABASE_URL = `file:${path.join(mkdtempSync(path.join(tmpdir(), "lim-e2e-")), "lim.db")}`;
}
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.E2E_REPORT || "test-results/e2e.json" }]],
  outputDir: "test-results/e2e-artifacts",
  use: {
    baseURL,
    acceptDownloads: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
  webServer: {
    command: "node scripts/start.mjs",
    url: `${baseURL}/`,
    reuseExistingServer: false,
    // First run: demo generation + ingest (~15 s) and a production build (~30 s).
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
