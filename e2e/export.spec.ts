import { readFileSync } from "node:fs";
import { DEMO_RUN, expect, lim, test } from "./fixtures";

test("the export button downloads exactly what `lim export` writes", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  await page.getByRole("spinbutton", { name: "Threshold" }).fill("0.55");
  await expect(page.getByTestId("selected-count")).toContainText(" of ");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-link").click()]);
  expect(download.suggestedFilename()).toBe(`${DEMO_RUN}-lim-0.55.jsonl`);
  const browserBytes = readFileSync(await download.path());
  const cliBytes = lim(["export", DEMO_RUN, "--threshold", "0.55", "--out", "-"]);
  expect(browserBytes.length).toBeGreaterThan(0);
  expect(browserBytes.equals(cliBytes)).toBe(true);
});

test("the export route takes the scoring parameters and rejects typos", async ({ request }) => {
  const res = await request.get(`/api/runs/${DEMO_RUN}/export?threshold=0.5&maxEpochs=3`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toContain(`${DEMO_RUN}-lim-0.5.jsonl`);
  const cli = lim(["export", DEMO_RUN, "--threshold", "0.5", "--max-epochs", "3", "--out", "-"]);
  expect(Buffer.from(await res.body()).equals(cli)).toBe(true);
  const bad = await request.get(`/api/runs/${DEMO_RUN}/export?treshold=0.5`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("treshold");
});
