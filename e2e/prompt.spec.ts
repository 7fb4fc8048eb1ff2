import { DEMO_RUN, expect, test } from "./fixtures";

test.describe("a prompt's curve", () => {
  test("selecting a row draws its curve and the model average", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    const row = page.locator(".pt-body-row").first();
    await row.click();
    const panel = page.getByTestId("prompt-panel");
    await expect(panel).toBeVisible();
    await expect(panel.locator(".curve-prompt path.recharts-curve")).toHaveAttribute("d", /^M/);
    await expect(panel.locator(".curve-average path.recharts-curve")).toHaveAttribute("d", /^M/);
    await expect(panel.getByTestId("panel-score")).toHaveText(/^-?\d+\.\d{4}$/);
  });

  test("the prompt page shows text, dataset fields, per-epoch table, curve and examples", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    const ordinal = await page.locator(".pt-body-row").first().getAttribute("data-ordinal");
    await page.locator(".pt-body-row").first().click();
    await page.getByRole("link", { name: "Open prompt page →" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}/prompts/${ordinal}`));
    await expect(page.getByRole("heading", { name: `Prompt #${ordinal}` })).toBeVisible();
    await expect(page.locator(".katex").first()).toBeVisible();
    await expect(page.getByRole("rowheader", { name: "answer" })).toBeVisible();
    await expect(page.getByTestId("epoch-table").locator("tbody tr")).not.toHaveCount(0);
    await expect(page.locator(".curve-prompt path.recharts-curve")).toHaveAttribute("d", /^M/);
    await expect(page.locator(".curve-average path.recharts-curve")).toHaveAttribute("d", /^M/);
    await expect(page.locator(".example").first()).toContainText("reward");
    // Next walks the table's order.
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page.getByRole("heading", { name: /^Prompt #\d+$/ })).not.toHaveText(`Prompt #${ordinal}`);
  });

  test("a prompt opened right after moving to it opens, however slow its page is to come", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    await expect(page.locator(".pt-body-row").first()).toBeVisible();
    const second = await page.locator(".pt-body-row").nth(1).getAttribute("data-ordinal");
    // The prompt page held back: the address bar's update for the move comes mid-navigation.
    await page.route(`**/runs/${DEMO_RUN}/prompts/**`, async (route) => {
      await new Promise((r) => setTimeout(r, 1_000));
      await route.continue();
    });
    await page.getByTestId("prompt-table-scroll").focus();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}/prompts/${second}(\\?|$)`));
    await expect(page.getByRole("heading", { level: 1, name: `Prompt #${second}` })).toBeVisible();
    // Back returns to the run page with that prompt selected.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}\\?.*prompt=${second}`));
    // The same by mouse: a row, then at once the panel's link.
    const third = page.locator(".pt-body-row").nth(2);
    const ordinal = await third.getAttribute("data-ordinal");
    await third.click();
    await page.getByTestId("prompt-panel").getByRole("link", { name: "Open prompt page →" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${DEMO_RUN}/prompts/${ordinal}(\\?|$)`));
    await expect(page.getByRole("heading", { level: 1, name: `Prompt #${ordinal}` })).toBeVisible();
  });
});
