import Database from "better-sqlite3";
import { DEMO_RUN, expect, test } from "./fixtures";

const url = process.env.E2E_DATABASE_URL ?? "";

// A CLI ingest holds SQLite's write lock for its whole run. The server must not wait on it
// (its wait would block every request): a delete is refused at once with 503, pages go on.
test("while another process writes, deleting a run answers 503 at once and the pages keep answering", async ({ page, request }) => {
  test.skip(!url.startsWith("file:"), "SQLite's write lock");
  const ingest = new Database(url.slice("file:".length));
  ingest.exec("BEGIN IMMEDIATE");
  try {
    const started = Date.now();
    const refused = await request.delete(`/api/runs/${DEMO_RUN}`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(refused.status()).toBe(503);
    expect(refused.headers()["retry-after"]).toBe("5");
    expect((await refused.json()).error).toContain(`deleting run "${DEMO_RUN}": the database is busy`);
    await page.goto(`/runs/${DEMO_RUN}`);
    await expect(page.getByTestId("selected-count")).toBeVisible();
  } finally {
    ingest.exec("ROLLBACK");
    ingest.close();
  }
  const runs = await request.get("/");
  expect(runs.status()).toBe(200);
  expect(await runs.text()).toContain(`/runs/${DEMO_RUN}`);
});
