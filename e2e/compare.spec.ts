import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_RUN as DEMO_SHAPE } from "../lib/cli/commands/demo";
import { generateRun } from "../lib/demo/generate-run";
import { DEMO_RUN, expect, formatCount, lim, test } from "./fixtures";

const OTHER = "demo-6-epochs";

/** A second run of the demo's dataset (same seed, so the same prompts), trained for half the epochs: its scores differ. */
test.beforeAll(async () => {
  test.setTimeout(180_000);
  const gen = await generateRun({ dir: mkdtempSync(path.join(tmpdir(), "lim-e2e-compare-")), ...DEMO_SHAPE, epochs: 6 });
  lim(["ingest", gen.trainDir, "--name", OTHER, "--format", "openrlhf", "--steps-per-epoch", String(DEMO_SHAPE.stepsPerEpoch), "--dataset", gen.datasetFile, "--replace"]);
});

test("the Compare page's counts and Spearman equal `lim compare-runs --json`, and a flip opens its prompt", async ({ page }) => {
  const cli = JSON.parse(lim(["compare-runs", DEMO_RUN, OTHER, "--json"]).toString("utf8"));
  expect(cli.joined).toBeGreaterThan(0);
  expect(cli.only_a_selected + cli.only_b_selected).toBeGreaterThan(0);
  // From the site navigation, choosing the two runs.
  await page.goto("/");
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Compare" }).click();
  await page.getByRole("combobox", { name: "Run A" }).selectOption(DEMO_RUN);
  await page.getByRole("combobox", { name: "Run B" }).selectOption(OTHER);
  await page.getByRole("button", { name: "Compare", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`a=${DEMO_RUN}&b=${OTHER}`));
  await expect(page.getByTestId("compare-joined")).toHaveText(formatCount(cli.joined));
  await expect(page.getByTestId("compare-spearman")).toHaveText(cli.spearman.toFixed(4));
  await expect(page.getByTestId("compare-both")).toHaveText(formatCount(cli.both_selected));
  await expect(page.getByTestId("compare-only-a")).toHaveText(formatCount(cli.only_a_selected));
  await expect(page.getByTestId("compare-only-b")).toHaveText(formatCount(cli.only_b_selected));
  await expect(page.getByTestId("compare-scatter")).toBeVisible();
  await expect(page.getByRole("heading", { name: `Prompts that flip (${formatCount(cli.only_a_selected + cli.only_b_selected)})` })).toBeVisible();
  // A's selection applied to B's dataset: the bytes `lim transfer` writes.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("transfer-link").click()]);
  expect(readFileSync(await download.path()).equals(lim(["transfer", DEMO_RUN, "--to", OTHER, "--threshold", "0.6", "--out", "-"]))).toBe(true);
  // A flip row opens its prompt page in A.
  const first = page.getByTestId("flip-table").locator("tbody tr").first();
  await expect(first.locator("td").first()).not.toHaveText("…");
  const link = first.getByRole("link", { name: new RegExp(`^Open prompt \\d+ in ${DEMO_RUN}$`) });
  const href = await link.getAttribute("href");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator("h1").first()).toBeVisible();
});

test("the compare route answers bad values in words and unknown runs with 404", async ({ request }) => {
  expect((await request.get(`/api/compare?a=${DEMO_RUN}`)).status()).toBe(400);
  expect((await request.get(`/api/compare?a=${DEMO_RUN}&b=no-such-run`)).status()).toBe(404);
  const bad = await request.get(`/api/compare?a=${DEMO_RUN}&b=${OTHER}&threshold=high`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("threshold must be a number");
});
