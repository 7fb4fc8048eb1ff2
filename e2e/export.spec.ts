import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { DEMO_RUN, expect, lim, test } from "./fixtures";

/** A Parquet file's rows as hyparquet reads them back. */
function parquetRows(bytes: Buffer) {
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
}

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

test("the Parquet choice downloads a file that reads back to the rows `lim export --format parquet` writes", async ({ page }) => {
  await page.goto(`/runs/${DEMO_RUN}`);
  await page.getByRole("spinbutton", { name: "Threshold" }).fill("0.55");
  await expect(page.getByTestId("selected-count")).toContainText(" of ");
  await page.getByRole("combobox", { name: "Export format" }).selectOption("parquet");
  await expect(page.getByTestId("export-link")).toContainText("(Parquet)");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-link").click()]);
  expect(download.suggestedFilename()).toBe(`${DEMO_RUN}-lim-0.55.parquet`);
  const browserBytes = readFileSync(await download.path());

  const cliFile = path.join(mkdtempSync(path.join(tmpdir(), "lim-e2e-parquet-")), "cli.parquet");
  lim(["export", DEMO_RUN, "--threshold", "0.55", "--format", "parquet", "--out", cliFile]);
  const cliBytes = readFileSync(cliFile);
  const rows = await parquetRows(browserBytes);
  const jsonl = lim(["export", DEMO_RUN, "--threshold", "0.55"]).toString("utf8").trimEnd().split("\n");
  expect(rows.length).toBe(jsonl.length);
  expect(rows).toEqual(await parquetRows(cliBytes));
  expect(browserBytes.equals(cliBytes)).toBe(true);
});

test("the export route writes JSON and scores as `lim export --format json --with-scores` does", async ({ request }) => {
  const res = await request.get(`/api/runs/${DEMO_RUN}/export?threshold=0.7&format=json&withScores=true&epochs=visits`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  expect(res.headers()["content-disposition"]).toContain(`${DEMO_RUN}-lim-0.7.json"`);
  const cli = lim(["export", DEMO_RUN, "--threshold", "0.7", "--format", "json", "--with-scores", "--epochs", "visits"]);
  expect(Buffer.from(await res.body()).equals(cli)).toBe(true);
  const bad = await request.get(`/api/runs/${DEMO_RUN}/export?format=xlsx`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("format must be jsonl, json, parquet");
});
