import { readFileSync } from "node:fs";
import { DEMO_RUN, expect, formatCount, lim, test } from "./fixtures";

/** `lim score --method M --json` against the e2e server's database: the count the page must show. */
function cliScore(args: string[]): { selected: number; scored: number; prompts: number; categories: Record<string, number> } {
  return JSON.parse(lim(["score", DEMO_RUN, ...args, "--json"]).toString("utf8"));
}

const METHOD_LABELS: Record<string, string> = { variance: "Variance", learnability: "Learnability", linear: "LINEAR", "pass-rate": "Pass rate", rand: "RAND", cartography: "Cartography", lim: "LIM" };

test("switching method changes the count to what `lim score --method M` selects, and the URL keeps it", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  const count = page.getByTestId("selected-count");
  await expect(count).toContainText(" of ");
  const method = page.getByRole("combobox", { name: "Method" });
  for (const m of ["variance", "learnability", "linear", "pass-rate", "rand", "cartography", "lim"]) {
    await method.selectOption({ label: METHOD_LABELS[m] });
    const cli = cliScore(["--method", m]);
    await expect(count).toHaveText(`${formatCount(cli.selected)} of ${formatCount(cli.scored)} scored (${formatCount(cli.prompts)} prompts, ${formatCount(cli.prompts - cli.scored)} excluded)`);
  }
  // An explicit rule, then a reload: method and rule come back from the link.
  await method.selectOption({ label: "Variance" });
  await page.getByRole("spinbutton", { name: "Top N" }).fill("500");
  await expect(count).toContainText(`${formatCount(cliScore(["--method", "variance", "--top", "500"]).selected)} of `);
  await expect(page).toHaveURL(/method=variance&top=500/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Method" })).toHaveValue("variance");
  await expect(page.getByRole("spinbutton", { name: "Top N" })).toHaveValue("500");
  await expect(count).toContainText("500 of ");
  // Cartography's region, and LINEAR's own threshold.
  await page.goto(`/runs/${DEMO_RUN}?method=cartography&region=hard-to-learn`);
  await expect(count).toContainText(`${formatCount(cliScore(["--method", "cartography", "--region", "hard-to-learn"]).selected)} of `);
  await page.goto(`/runs/${DEMO_RUN}?method=linear&min=0.5`);
  await expect(count).toContainText(`${formatCount(cliScore(["--method", "linear", "--threshold", "0.5"]).selected)} of `);
});

test("the export follows the chosen method: the bytes `lim export --method M` writes", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}?method=learnability&top=300`);
  await expect(page.getByTestId("selected-count")).toContainText("300 of ");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-link").click()]);
  expect(download.suggestedFilename()).toBe(`${DEMO_RUN}-learnability-top-300.jsonl`);
  const cli = lim(["export", DEMO_RUN, "--method", "learnability", "--top", "300", "--out", "-"]);
  expect(readFileSync(await download.path()).equals(cli)).toBe(true);
});

test("a category of the bar filters the table to its prompts, as many as `lim score` counts", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  const { categories } = cliScore([]);
  const bar = page.getByRole("group", { name: "Trajectory categories" });
  await bar.getByRole("button", { name: /^forgotten/ }).click();
  await expect(page.getByTestId("rows-count")).toHaveText(`${formatCount(categories.forgotten)} rows`);
  await expect(page.locator(".pt-body-row").first()).toContainText("forgotten");
  expect(await page.locator(".pt-body-row .pt-category", { hasNotText: "forgotten" }).count()).toBe(0);
  await expect(page).toHaveURL(/category=forgotten/);
  // The table's focus says what narrows it and clears in one click.
  await page.getByTestId("table-focus").getByRole("button").click();
  await expect(page.getByTestId("rows-count")).toHaveText(`${formatCount(categories.forgotten + Object.entries(categories).filter(([c]) => c !== "forgotten").reduce((n, [, v]) => n + v, 0))} rows`);
});

test("an overlap cell filters the table to the prompts kept by one method and not the other", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  const budget = cliScore([]).selected;
  const cmp = JSON.parse(lim(["compare", DEMO_RUN, "--methods", "lim,variance", "--top", String(budget), "--json"]).toString("utf8"));
  const pair = cmp.pairs[0] as { a: string; b: string; both: number; jaccard: number };
  const cell = page.getByTestId("overlap-matrix").getByRole("button", { name: /^LIM and Variance:/ });
  await expect(cell).toContainText(formatCount(pair.both));
  await expect(cell).toContainText(pair.jaccard.toFixed(2));
  await cell.click();
  await expect(page.getByTestId("rows-count")).toHaveText(`${formatCount(budget - pair.both)} rows`);
  await expect(page.getByTestId("table-focus")).toContainText("kept by LIM, not by Variance");
  await expect(page).toHaveURL(/kept=lim%2Cvariance|kept=lim,variance/);
});

test("the cartography map is usable from the keyboard: arrows name the nearest prompt, Enter opens it", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  const canvas = page.getByRole("application", { name: /Cartography map of/ });
  await canvas.focus();
  await expect(canvas).toBeFocused();
  await page.keyboard.press("ArrowDown");
  // The nearest prompt is read out (a live region), not drawn as text.
  const said = page.getByTestId("cartography-map").getByText(/^prompt #\d+: confidence \d+%, variability [\d.]+; Enter opens it$/);
  await expect(said).toHaveCount(1);
  const named = Number((await said.textContent())!.match(/^prompt #(\d+)/)![1]);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("prompt-panel")).toContainText(`Prompt #${named}`);
  await expect(page).toHaveURL(new RegExp(`prompt=${named}(&|$)`));
});

test("a click on the cartography map opens the nearest prompt; hard-to-learn shows its reference answers", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  const canvas = page.getByTestId("cartography-map").locator("canvas");
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.75);
  await expect(page.getByTestId("prompt-panel")).toContainText(/Prompt #\d+/);
  await expect(page).toHaveURL(/prompt=\d+/);

  await page.getByRole("button", { name: "Hard-to-learn: read answers" }).click();
  await expect(page.getByRole("columnheader", { name: "Reference answer" })).toBeVisible();
  await expect(page.getByTestId("table-focus")).toContainText("hard-to-learn");
  // Never-solved prompts first (pass rate ascending), each with its dataset answer.
  const firstRow = page.locator(".pt-body-row").first();
  await expect(firstRow.locator(".pt-pass-rate")).toHaveText("0%");
  await expect(firstRow.locator(".pt-answer .answer-cell")).not.toBeEmpty();
  const ordinal = Number(await firstRow.getAttribute("data-ordinal"));
  const res = await page.request.get(`/api/runs/${DEMO_RUN}/answers?ordinals=${ordinal}`);
  const { answers } = (await res.json()) as { answers: (string | null)[] };
  expect(answers[0]).toBeTruthy();
  await expect(firstRow.locator(".pt-answer")).toContainText(answers[0]!.slice(0, 3));
});
