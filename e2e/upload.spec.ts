import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { datasetRows, writeParquetDataset } from "../lib/demo/generate-datasets";
import { generateVerl } from "../lib/demo/generate-verl";
import { expect, formatCount, lim, test } from "./fixtures";

const root = fileURLToPath(new URL("..", import.meta.url));

function smallRun(): { train: string; dataset: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-upload-"));
  execFileSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "lib/demo/generate-run.ts", "--out", dir, "--prompts", "80", "--epochs", "3", "--steps-per-epoch", "2", "--prompts-per-step", "30", "--seed", "7"],
    { cwd: root, stdio: "pipe" },
  );
  return { train: path.join(dir, "train"), dataset: path.join(dir, "dataset.json") };
}

test("a small run uploaded through the browser is ingested, opened, listed and deletable", async ({ page }) => {
  const run = smallRun();
  const files = readdirSync(run.train).map((f) => path.join(run.train, f));
  const name = `upload-${Date.now()}`;
  await page.goto("/");
  await page.getByLabel("Step files").setInputFiles(files);
  await expect(page.getByTestId("picked-files")).toContainText(`${files.length} step files`);
  await page.getByLabel("Dataset file").setInputFiles(run.dataset);
  await page.getByRole("textbox", { name: "Run name" }).fill(name);
  await page.getByRole("spinbutton", { name: "Steps per epoch" }).fill("2");
  await page.getByRole("button", { name: "Ingest run" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${name}$`), { timeout: 60_000 });
  // The browser's count is the CLI's for the run it just stored.
  const summary = JSON.parse(lim(["score", name, "--json"]).toString("utf8"));
  await expect(page.getByTestId("selected-count")).toContainText(`${formatCount(summary.selected)} of ${formatCount(summary.scored)} scored (${formatCount(summary.prompts)} prompts`);

  await page.goto("/");
  const row = page.locator(`tr[data-run="${name}"]`);
  await expect(row).toContainText(formatCount(summary.prompts));
  await row.getByRole("button", { name: `Delete run ${name}` }).click();
  await page.getByRole("button", { name: "Delete run", exact: true }).click();
  await expect(page.locator(`tr[data-run="${name}"]`)).toHaveCount(0);
});

test("a bad upload says what is wrong", async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-bad-"));
  const bad = path.join(dir, "step_1.json");
  writeFileSync(bad, '[{"prompt": "p", "response": "r", "reward": "high", "response_length": 3}]');
  await page.goto("/");
  await page.getByLabel("Step files").setInputFiles([bad]);
  await page.getByRole("textbox", { name: "Run name" }).fill(`bad-${Date.now()}`);
  await page.getByRole("button", { name: "Ingest run" }).click();
  await expect(page.getByTestId("upload-error")).toContainText("reward");
});

test("a verl run with a Parquet dataset uploads (as bytes) and stores what `lim ingest` stores", async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-e2e-verl-"));
  const gen = generateVerl({ dir: path.join(dir, "rollouts"), prompts: 30, epochs: 3, stepsPerEpoch: 2, seed: 4 });
  const dataset = path.join(dir, "train.parquet");
  writeParquetDataset(dataset, datasetRows({ questions: gen.questions, answers: gen.answers }));
  const files = readdirSync(gen.dir).map((f) => path.join(gen.dir, f));
  const name = `verl-${Date.now()}`;

  await page.goto("/");
  await page.getByRole("combobox", { name: "Log format" }).selectOption("verl");
  await page.getByLabel("Step files").setInputFiles(files);
  await expect(page.getByTestId("picked-files")).toContainText(`${files.length} step files`);
  await page.getByLabel("Dataset file").setInputFiles(dataset);
  await page.getByRole("textbox", { name: "Run name" }).fill(name);
  await page.getByRole("spinbutton", { name: "Steps per epoch" }).fill("2");
  await page.getByText("More options").click();
  await page.getByRole("combobox", { name: "Epochs counted by" }).selectOption("visits");
  await page.getByRole("button", { name: "Ingest run" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${name}$`), { timeout: 60_000 });
  await expect(page.getByTestId("epoch-rule")).toHaveText("epochs by visits");
  // How the run was read is on its page: the template-learned match and success from verl's acc.
  await page.getByTestId("run-notes").locator("summary").click();
  await expect(page.getByTestId("run-notes")).toContainText("matched 30 of 30 log prompts to rows of train.parquet: 30 through a template learned from the log");
  await expect(page.getByTestId("success-rule")).toHaveText("success: as logged (acc)");

  // The same files through the CLI: the same scores and the same curated rows.
  const cliName = `${name}-cli`;
  lim(["ingest", gen.dir, "--name", cliName, "--format", "verl", "--steps-per-epoch", "2", "--epochs", "visits", "--dataset", dataset]);
  const uploaded = JSON.parse(lim(["score", name, "--json"]).toString("utf8"));
  const viaCli = JSON.parse(lim(["score", cliName, "--json"]).toString("utf8"));
  expect(uploaded.params.epochMode).toBe("visits");
  expect({ ...uploaded, run: cliName }).toEqual(viaCli);
  await expect(page.getByTestId("selected-count")).toContainText(`${formatCount(uploaded.selected)} of ${formatCount(uploaded.scored)} scored`);
  const rows = lim(["export", name, "--threshold=-100"]);
  expect(rows.toString("utf8").trimEnd().split("\n").length).toBe(gen.questions.length);
  expect(rows.equals(lim(["export", cliName, "--threshold=-100"]))).toBe(true);
  lim(["delete", cliName]);
  lim(["delete", name]);
});
