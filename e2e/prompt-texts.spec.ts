import { gunzipSync } from "node:zlib";
import { decodeRunView } from "../lib/view/run-view-bytes";
import type { Page } from "@playwright/test";
import { DEMO_RUN, expect, formatCount, test } from "./fixtures";

/** The server's answer for a search: the ordinals matching every word, as uint32. */
async function serverSearch(baseURL: string, q: string): Promise<number[]> {
  const res = await fetch(`${baseURL}/api/runs/${DEMO_RUN}/search?q=${encodeURIComponent(q)}`);
  expect(res.headers.get("content-type")).toBe("application/octet-stream");
  return [...new Uint32Array(await res.arrayBuffer())];
}

/** The rows shown are in case-insensitive order of their texts. */
async function textsInOrder(page: Page): Promise<boolean> {
  const texts = (await page.locator(".pt-body-row .prompt-cell").evaluateAll((els) => els.map((e) => e.getAttribute("title") ?? ""))).map((t) => t.toLowerCase());
  return texts.length > 3 && texts.every((t, i) => i === 0 || texts[i - 1] <= t);
}

test.describe("prompt texts come from the server, a page of rows at a time", () => {
  test("the run page's data is binary columns without texts", async ({ baseURL }) => {
    const res = await fetch(`${baseURL}/api/runs/${DEMO_RUN}/view`);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const bytes = gunzipSync(Buffer.from(await res.arrayBuffer()));
    const { header, columns } = decodeRunView(new Uint8Array(bytes));
    expect(columns.scores.length).toBe(header.prompts);
    expect(columns.accuracy.length).toBe(header.prompts * header.epochs);
    const texts = (await (await fetch(`${baseURL}/api/runs/${DEMO_RUN}/texts?ordinals=0,1,2`)).json()) as { texts: string[] };
    expect(texts.texts).toHaveLength(3);
    for (const t of texts.texts) expect(bytes.includes(Buffer.from(t.slice(0, 40)))).toBe(false);
  });

  test("searching filters the rows to the server's matches, any case, every word", async ({ page, baseURL }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    const rows = page.locator(".pt-body-row");
    await expect(rows.first()).toBeVisible();
    const rowsCount = page.getByTestId("rows-count");
    await expect(rowsCount).toHaveText(/^[\d,]+ rows$/);
    const all = await rowsCount.textContent();

    const search = page.getByRole("searchbox", { name: "Search prompts" });
    await search.fill("HYPOTENUSE radical");
    const hits = await serverSearch(baseURL!, "hypotenuse radical");
    expect(hits.length).toBeGreaterThan(0);
    await expect(rowsCount).toHaveText(`${formatCount(hits.length)} rows`);
    await expect(page).toHaveURL(/q=HYPOTENUSE\+radical/);
    // Every row shown is a match, and its text (once in) holds both words.
    const shown = await rows.evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.ordinal)));
    expect(shown.length).toBeGreaterThan(0);
    for (const o of shown) expect(hits).toContain(o);
    await expect(page.locator(".pt-body-row .text-pending")).toHaveCount(0);
    for (const text of await page.locator(".pt-body-row .prompt-cell").allTextContents()) {
      expect(text.toLowerCase()).toContain("hypotenuse");
      expect(text.toLowerCase()).toContain("radical");
    }
    // A word no prompt holds empties the table; clearing the search brings every row back.
    await search.fill("hypotenuse zzzqqq");
    await expect(page.getByText("No prompt matches this search and filter.")).toBeVisible();
    await search.fill("");
    await expect(rowsCount).toHaveText(all!);
  });

  test("sorting by prompt orders the rows by their text, from the server's text order", async ({ page }) => {
    await page.goto(`/runs/${DEMO_RUN}?sort=prompt.asc`);
    await expect(page.getByRole("columnheader", { name: /Prompt/ })).toHaveAttribute("aria-sort", "ascending");
    await expect(page.locator(".pt-body-row").first()).toBeVisible();
    await expect(page.locator(".pt-body-row .text-pending")).toHaveCount(0);
    // Settled: the rows' texts ascend from the lowest.
    await expect.poll(() => textsInOrder(page)).toBe(true);
  });

  test("scrolling the table shows placeholders of a row's height, then the new rows' texts", async ({ page, baseURL }) => {
    await page.goto(`/runs/${DEMO_RUN}`);
    const firstCell = page.locator(".pt-body-row").first().locator(".prompt-cell");
    await expect(firstCell).not.toHaveClass(/text-pending/);

    // Hold the texts asked for after the scroll, to see the rows before their texts arrive.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const asked: string[] = [];
    await page.route("**/api/runs/*/texts?*", async (route) => {
      asked.push(new URL(route.request().url()).searchParams.get("ordinals") ?? "");
      await held;
      await route.continue();
    });
    const scroll = page.getByTestId("prompt-table-scroll");
    await scroll.evaluate((el) => (el.scrollTop = 34 * 4000));
    const row = page.locator('.pt-body-row[aria-rowindex="4003"]');
    await expect(row).toBeVisible();
    await expect(row.locator(".prompt-cell")).toHaveClass(/text-pending/);
    const before = await row.boundingBox();
    const ordinal = Number(await row.getAttribute("data-ordinal"));
    await expect.poll(() => asked.some((a) => a.split(",").map(Number).includes(ordinal))).toBe(true);

    release();
    await expect(row.locator(".prompt-cell")).not.toHaveClass(/text-pending/);
    await expect(page.locator(".pt-body-row .text-pending")).toHaveCount(0);
    const after = await row.boundingBox();
    expect(after).toEqual(before);
    // The row shows the server's snippet of that very prompt.
    const { texts } = (await (await fetch(`${baseURL}/api/runs/${DEMO_RUN}/texts?ordinals=${ordinal}`)).json()) as { texts: string[] };
    await expect(row.locator(".prompt-cell")).toHaveAttribute("title", texts[0]);
  });

  test("the prompt page walks the searched table in text order, as the run page shows it", async ({ page, baseURL }) => {
    const hits = await serverSearch(baseURL!, "hypotenuse");
    await page.goto(`/runs/${DEMO_RUN}?q=hypotenuse&sort=prompt.asc`);
    const rows = page.locator(".pt-body-row");
    await expect(page.getByTestId("rows-count")).toHaveText(`${formatCount(hits.length)} rows`);
    await expect(page.locator(".pt-body-row .text-pending")).toHaveCount(0);
    await expect.poll(() => textsInOrder(page)).toBe(true);
    const first = await rows.nth(0).getAttribute("data-ordinal");
    const second = await rows.nth(1).getAttribute("data-ordinal");
    await rows.nth(0).click();
    await page.getByRole("link", { name: "Open prompt page →" }).click();
    // The first prompt page of a search builds the server's search index and text order: give a
    // cold server on a loaded CI machine more than the default wait.
    await expect(page.getByRole("heading", { name: `Prompt #${first}` })).toBeVisible({ timeout: 45_000 });
    await expect(page.getByRole("navigation", { name: "Prompt navigation" })).toContainText(`1 of ${formatCount(hits.length)} in the table's order`);
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page.getByRole("heading", { name: `Prompt #${second}` })).toBeVisible();
  });

  test("the texts route names a bad request", async ({ baseURL }) => {
    for (const [q, message] of [
      ["", /ordinals is empty/],
      ["ordinals=1,x", /non-negative integers/],
      ["ordinals=99999999", /out of range/],
    ] as const) {
      const res = await fetch(`${baseURL}/api/runs/${DEMO_RUN}/texts?${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(message);
    }
    expect((await fetch(`${baseURL}/api/runs/no-such-run/texts?ordinals=1`)).status).toBe(404);
  });
});
