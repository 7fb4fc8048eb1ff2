import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "./fixtures";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A seeded OpenRLHF run of 4 epochs x 2 steps, in a staging dir the test feeds the watched one from. */
function stagedRun(): { train: string; dataset: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-live-"));
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "lib/demo/generate-run.ts", "--out", dir, "--prompts", "80", "--epochs", "4", "--steps-per-epoch", "2", "--prompts-per-step", "30", "--seed", "9"],
    { cwd: root, stdio: "pipe" },
  );
  return { train: path.join(dir, "train"), dataset: path.join(dir, "dataset.json") };
}

/**
 * What `lim ingest <dir> --name <run> --watch` runs: watchRun until SIGINT, against the e2e
 * server's database. Prints APPENDED <lastStep> after each commit and STOPPED when it returns.
 */
function startWatch(dir: string, name: string, dataset: string): { proc: ChildProcess; untilLine: (text: string) => Promise<void> } {
  const code = `
    const { watchRun } = await import(${JSON.stringify(path.join(root, "lib/ingest/watch/watch-run.ts"))});
    const ctrl = new AbortController();
    process.on("SIGINT", () => ctrl.abort());
    const run = await watchRun({
      path: ${JSON.stringify(dir)}, name: ${JSON.stringify(name)}, stepsPerEpoch: 2, dataset: { file: ${JSON.stringify(dataset)} },
      pollMs: 200, settleMs: 400, signal: ctrl.signal,
      onMessage: (m) => process.stderr.write(m + "\\n"),
      onAppend: (r) => process.stdout.write("APPENDED " + r.lastStep + "\\n"),
    });
    process.stdout.write("STOPPED live=" + run.live + "\\n");`;
  const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (err += d));
  const untilLine = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const check = () => {
        if (out.includes(text)) return resolve();
        if (proc.exitCode !== null || Date.now() - t0 > 30_000) return reject(new Error(`watch never printed "${text}" (stdout: ${out}; stderr: ${err})`));
        setTimeout(check, 50);
      };
      check();
    });
  return { proc, untilLine };
}

test("a watched run's page shows new epochs as they are logged, without a reload", async ({ page }) => {
  const staged = stagedRun();
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-watched-"));
  const name = `live-${Date.now()}`;
  const add = (steps: number[]) => {
    mkdirSync(dir, { recursive: true });
    for (const s of steps) copyFileSync(path.join(staged.train, `step_${s}.json`), path.join(dir, `step_${s}.json`));
  };
  add([1, 2, 3, 4]);
  const watch = startWatch(dir, name, staged.dataset);
  try {
    await watch.untilLine("APPENDED 4");

    await page.goto(`/runs/${name}`);
    const facts = page.locator(".run-facts");
    const curve = page.getByTestId("average-curve");
    await expect(page.getByTestId("live-badge")).toBeVisible();
    await expect(facts).toContainText("2 epochs");
    await expect(curve).toHaveAttribute("aria-label", /over 2 epochs/);
    // Set by this page load; a reload would lose it.
    await page.evaluate(() => ((window as unknown as { __sameLoad: boolean }).__sameLoad = true));
    await page.getByRole("spinbutton", { name: "Threshold" }).fill("0.45");

    add([5, 6]); // epoch 3
    await watch.untilLine("APPENDED 6");
    await expect(facts).toContainText("3 epochs");
    await expect(curve).toHaveAttribute("aria-label", /over 3 epochs/);
    await expect(page.getByRole("spinbutton", { name: "Threshold" })).toHaveValue("0.45");

    // Ctrl-C: the run is kept and stops being live; the page notices and drops the badge.
    watch.proc.kill("SIGINT");
    await watch.untilLine("STOPPED live=false");
    await expect(page.getByTestId("live-badge")).toHaveCount(0);
    await expect(facts).toContainText("3 epochs");
    expect(await page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad)).toBe(true);
  } finally {
    if (watch.proc.exitCode === null) watch.proc.kill("SIGINT");
  }
});
