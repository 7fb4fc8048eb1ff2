import { readFileSync } from "node:fs";
import { DEMO_RUN, expect, formatCount, lim, test } from "./fixtures";

test("Save selection keeps the page's selection as a set: listed with its provenance, downloads equal to `lim sets export`", async ({ page, consoleErrors }) => {
  await page.goto(`/runs/${DEMO_RUN}?method=variance&top=400`);
  await expect(page.getByTestId("selected-count")).toContainText("400 of ");
  await page.getByRole("button", { name: "Save selection", exact: true }).click();
  const form = page.getByTestId("save-set-form");
  await form.getByLabel("Name").fill("e2e-variance-400");
  await form.getByLabel("Note (optional)").fill("saved from the browser");
  await form.getByRole("button", { name: "Save set" }).click();
  await expect(page.getByTestId("save-set-done")).toContainText("Saved 400 rows as e2e-variance-400");

  // The same name again is refused in words.
  await form.getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: "Save selection", exact: true }).click();
  await form.getByLabel("Name").fill("e2e-variance-400");
  await form.getByRole("button", { name: "Save set" }).click();
  await expect(form.getByRole("alert")).toContainText('a set named "e2e-variance-400" already exists');
  await form.getByRole("button", { name: "Cancel" }).click();
  // The browser logs the refused request (409) itself: expected here, and nothing else.
  const refused = consoleErrors.findIndex((e) => e.includes("409") && e.includes("/api/sets"));
  expect(refused).toBeGreaterThanOrEqual(0);
  consoleErrors.splice(refused, 1);

  // The Sets page, from the site navigation.
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Sets" }).click();
  const row = page.locator('tr[data-set="e2e-variance-400"]');
  await expect(row).toContainText(DEMO_RUN);
  await expect(row).toContainText("variance, top 400");
  await expect(row).toContainText("saved from the browser");
  const shown = JSON.parse(lim(["sets", "show", "e2e-variance-400", "--json"]).toString("utf8"));
  await expect(row).toContainText(shown.files.find((f: { format: string }) => f.format === "jsonl").sha256.slice(0, 12));

  // The set's page: provenance and the downloads, byte for byte the CLI's.
  await row.getByRole("link", { name: "e2e-variance-400" }).click();
  await expect(page.getByTestId("set-counts")).toContainText(`${formatCount(shown.counts.rows)} rows`);
  for (const format of ["jsonl", "parquet"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`set-download-${format}`).click()]);
    const cli = lim(["sets", "export", "e2e-variance-400", "--format", format, "--out", "-"]);
    expect(readFileSync(await download.path()).equals(cli)).toBe(true);
  }
  // Against the CLI's own export of the same flags too.
  expect(lim(["sets", "export", "e2e-variance-400", "--out", "-"]).equals(lim(["export", DEMO_RUN, "--method", "variance", "--top", "400", "--out", "-"]))).toBe(true);
  await expect(page.getByTestId("set-rows")).toContainText("rows 1–100 of 400");
});

test("a set's diff against another equals `lim sets diff --json`, and each part lists its rows", async ({ page }) => {
  lim(["sets", "save", DEMO_RUN, "--name", "e2e-lim-0.5", "--threshold", "0.5", "--replace"]);
  lim(["sets", "save", DEMO_RUN, "--name", "e2e-lim-0.7", "--threshold", "0.7", "--replace"]);
  const cli = JSON.parse(lim(["sets", "diff", "e2e-lim-0.5", "e2e-lim-0.7", "--json"]).toString("utf8"));
  await page.goto("/sets/e2e-lim-0.5");
  await page.getByRole("combobox", { name: "Compare with set" }).selectOption("e2e-lim-0.7");
  await expect(page.getByTestId("diff-only_a")).toHaveText(formatCount(cli.only_a));
  await expect(page.getByTestId("diff-only_b")).toHaveText(formatCount(cli.only_b));
  await expect(page.getByTestId("diff-both")).toHaveText(formatCount(cli.both));
  await page.locator('[data-part="only_a"]').click();
  await expect(page.getByRole("table", { name: "Only in e2e-lim-0.5" })).toBeVisible();
  await expect(page.getByTestId("set-rows").last()).toContainText(`of ${formatCount(cli.only_a)}`);
});

test("the sets routes answer bad values in words and unknown sets with 404", async ({ request }) => {
  expect((await request.get("/api/sets/no-such-set/export")).status()).toBe(404);
  const bad = await request.get(`/api/sets/no-such-set/export?format=xml`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("format must be");
  const noName = await request.post("/api/sets", { data: { run: DEMO_RUN, name: " x", query: "" } });
  expect(noName.status()).toBe(400);
  expect((await noName.json()).error).toContain("white space");
  const noRun = await request.post("/api/sets", { data: { run: "no-such-run", name: "x", query: "" } });
  expect(noRun.status()).toBe(404);
  const typo = await request.post("/api/sets", { data: { run: DEMO_RUN, name: "x", query: "treshold=0.5" } });
  expect(typo.status()).toBe(400);
});
