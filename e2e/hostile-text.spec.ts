import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, lim, test } from "./fixtures";

/** Prompts, responses and dataset fields as an attacker would write them. */
const PAYLOADS = [
  `<img src=x onerror="alert('img')"> and <script>alert('script')</script>`,
  `[click](javascript:alert('md')) <a href="javascript:alert('a')">link</a>`,
  String.raw`math with links $\href{javascript:alert('href')}{click}$ and $\url{javascript:alert('url')}$`,
  String.raw`data attributes $\htmlData{onclick=alert('data')}{x}$ and $\htmlStyle{background:url(javascript:alert('style'))}{y}$`,
];
const RUN = "hostile-text";

test.beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), "lim-hostile-"));
  const rows: string[] = [];
  for (let step = 1; step <= 4; step++) {
    PAYLOADS.forEach((prompt, i) => {
      for (let r = 0; r < 2; r++) rows.push(JSON.stringify({ step, prompt, response: `${PAYLOADS[(i + 1) % PAYLOADS.length]} (${r})`, reward: (step + r + i) % 2 }));
    });
  }
  writeFileSync(path.join(dir, "log.jsonl"), rows.join("\n") + "\n");
  writeFileSync(path.join(dir, "data.jsonl"), PAYLOADS.map((prompt, i) => JSON.stringify({ prompt, answer: PAYLOADS[(i + 2) % PAYLOADS.length], note: `<b onmouseover="alert('field')">bold</b>` })).join("\n") + "\n");
  lim(["ingest", path.join(dir, "log.jsonl"), "--name", RUN, "--format", "jsonl", "--steps-per-epoch", "1", "--dataset", path.join(dir, "data.jsonl"), "--replace"]);
});

test("HTML, javascript: links and KaTeX's \\href, \\url, \\htmlData in prompts, responses and dataset fields are shown as text and never run", async ({ page }) => {
  const alerts: string[] = [];
  await page.exposeFunction("__limAlert", (m: string) => alerts.push(m));
  await page.addInitScript(() => {
    const report = (m: unknown) => (window as unknown as { __limAlert: (m: string) => void }).__limAlert(String(m));
    window.alert = report;
    window.confirm = (m?: string) => (report(m), false);
    window.prompt = (m?: string) => (report(m), null);
  });
  page.on("dialog", (d) => (alerts.push(`dialog: ${d.message()}`), d.dismiss()));

  await page.goto(`/runs/${RUN}`);
  await expect(page.getByTestId("selected-count")).toContainText(" of ");
  await expect(page.locator(".pt-body-row").first()).toBeVisible();
  for (let ordinal = 0; ordinal < PAYLOADS.length; ordinal++) {
    await page.goto(`/runs/${RUN}/prompts/${ordinal}`);
    await expect(page.getByRole("heading", { name: `Prompt #${ordinal}` })).toBeVisible();
    // The markup is text on the page, not elements.
    await expect(page.locator(".prompt-text")).toContainText(/onerror|javascript:|\\href|\\url|htmlData|htmlStyle/);
    for (const details of await page.locator("details").all()) await details.evaluate((d) => ((d as HTMLDetailsElement).open = true));
    // No element, link or handler came out of the text: nothing to click or hover into running.
    expect(await page.locator('[href*="javascript:"], img[src="x"], [onerror], [onclick], [onmouseover], [data-onclick]').count()).toBe(0);
    expect(await page.locator("main script").count()).toBe(0);
  }
  expect(alerts).toEqual([]);
});
