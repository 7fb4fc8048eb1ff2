import { DEMO_RUN, expect, formatCount, lim, limScoreSelected, test } from "./fixtures";

test.describe("run page", () => {
  test("the runs list shows the demo run and opens it", async ({ page }) => {
    await page.goto("/");
    const link = page.getByRole("link", { name: DEMO_RUN, exact: true });
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}$`));
    await expect(page.getByRole("heading", { name: DEMO_RUN })).toBeVisible();
  });

  test("moving the threshold changes the count to what `lim score` selects", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    const count = page.getByTestId("selected-count");
    await expect(count).toContainText(`of `);
    await expect(count).toContainText(formatCount(limScoreSelected(DEMO_RUN, 0.6)));

    const field = page.getByRole("spinbutton", { name: "Threshold" });
    await field.fill("0.45");
    await expect(count).toContainText(`${formatCount(limScoreSelected(DEMO_RUN, 0.45))} of `);
    await expect(page.getByRole("slider", { name: "Threshold" })).toHaveValue("0.45");

    // The slider drives the same state, and the URL keeps it.
    const slider = page.getByRole("slider", { name: "Threshold" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await expect(field).toHaveValue("0.46");
    await expect(count).toContainText(`${formatCount(limScoreSelected(DEMO_RUN, 0.46))} of `);
    await expect(page).toHaveURL(/threshold=0\.46/);
  });

  test("a link reproduces threshold, filter, sort and the open prompt", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}?threshold=0.3&filter=selected&sort=first.asc&prompt=5`);
    await expect(page.getByTestId("selected-count")).toContainText(`${formatCount(limScoreSelected(DEMO_RUN, 0.3))} of `);
    await expect(page.getByRole("group", { name: "Filter prompts" }).getByRole("button", { name: "Selected", exact: true })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("columnheader", { name: /First epoch/ })).toHaveAttribute("aria-sort", "ascending");
    await expect(page.getByTestId("prompt-panel")).toContainText("Prompt #5");
    // Every listed row is selected under this filter.
    const rows = page.locator(".pt-body-row");
    await expect(rows.first()).toBeVisible();
    expect(await page.locator(".pt-body-row:not(.selected)").count()).toBe(0);
  });

  test("search, filter and sort shape the table", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    await expect(page.locator(".pt-body-row").first()).toBeVisible();
    const filters = page.getByRole("group", { name: "Filter prompts" });
    await filters.getByRole("button", { name: "Excluded", exact: true }).click();
    await expect(page.locator(".pt-body-row").first()).toHaveClass(/excluded/);
    await expect(page).toHaveURL(/filter=excluded/);
    await filters.getByRole("button", { name: "All", exact: true }).click();
    await page.getByRole("searchbox", { name: "Search prompts" }).fill("hypotenuse");
    await expect(page.locator(".pt-body-row").first()).toContainText("hypotenuse");
    await page.getByRole("button", { name: /^Rollouts/ }).click();
    await expect(page.getByRole("columnheader", { name: /Rollouts/ })).toHaveAttribute("aria-sort", "descending");
  });

  test("scoring parameters re-score on the server, as `lim score` does", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    await expect(page.getByTestId("selected-count")).toContainText(" of ");
    await page.getByText(/^Parameters:/).click();
    await page.getByRole("spinbutton", { name: /Epoch window/ }).fill("6");
    await page.getByRole("button", { name: "Re-score" }).click();
    const cli = JSON.parse(lim(["score", DEMO_RUN, "--max-epochs", "6", "--threshold", "0.6", "--json"]).toString("utf8"));
    await expect(page.getByTestId("selected-count")).toHaveText(`${formatCount(cli.selected)} of ${formatCount(cli.scored)} scored (${formatCount(cli.prompts)} prompts, ${formatCount(cli.excluded.total)} excluded)`);
    await expect(page).toHaveURL(/maxEpochs=6/);
    // A window beyond the log is refused with the library's own words.
    await page.getByRole("spinbutton", { name: /Epoch window/ }).fill("99");
    await page.getByRole("button", { name: "Re-score" }).click();
    await expect(page.getByRole("form", { name: "Scoring parameters" }).getByRole("alert")).toContainText(/exceeds the \d+ complete epochs/);
  });

  test("j/k walk the table and the panel follows", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    await expect(page.locator(".pt-body-row").first()).toBeVisible();
    const first = await page.locator(".pt-body-row").nth(0).getAttribute("data-ordinal");
    const second = await page.locator(".pt-body-row").nth(1).getAttribute("data-ordinal");
    await page.keyboard.press("j");
    await expect(page.getByTestId("prompt-panel")).toContainText(`Prompt #${first}`);
    await page.keyboard.press("j");
    await expect(page.getByTestId("prompt-panel")).toContainText(`Prompt #${second}`);
    await page.keyboard.press("k");
    await expect(page.getByTestId("prompt-panel")).toContainText(`Prompt #${first}`);
    await expect(page).toHaveURL(new RegExp(`prompt=${first}`));
  });
});
