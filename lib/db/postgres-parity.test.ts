import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../cli/run-cli";
import { seededRandom } from "./test-db";
import { createTestPostgresDatabase, testPostgresUrl } from "./test-postgres";

/**
 * The same log ingested into SQLite and into PostgreSQL gives the same run: `lim export` writes
 * the same bytes in every format and `lim score --json` the same scores, for LIM and another
 * method. Runs in the PostgreSQL pass of `npm test` (LIM_TEST_POSTGRES_URL set); skipped otherwise.
 */
const PROMPTS = 300;
const STEPS = 12;

function writeLog(dir: string): void {
  const rand = seededRandom(11);
  mkdirSync(path.join(dir, "train"));
  const prompts = Array.from({ length: PROMPTS }, (_, i) => `Problem ${i}: what is ${i} + ${i * 7 % 13}? Ünïcode ✓ "quoted" \\ back`);
  for (let step = 1; step <= STEPS; step++) {
    const rows = [];
    for (let p = 0; p < PROMPTS; p++) {
      if (rand() < 0.15) continue; // not every prompt every step
      const skill = p / PROMPTS;
      for (let r = 0; r < 4; r++) {
        const reward = rand() < skill * (step / STEPS) + 0.1 ? 1 : 0;
        rows.push({ prompt: prompts[p], response: `answer ${p}.${step}.${r} ${"x".repeat(p % 17)}`, reward, response_length: 5 + ((p * r + step) % 40) });
      }
    }
    writeFileSync(path.join(dir, "train", `step_${step}.json`), JSON.stringify(rows));
  }
  writeFileSync(path.join(dir, "data.jsonl"), prompts.map((prompt, i) => JSON.stringify({ prompt, id: i, answer: String(2 * i), extra: { nested: [i, null, 1.5] } })).join("\n") + "\n");
}

const adminUrl = testPostgresUrl();

describe("SQLite and PostgreSQL give the same results", { skip: adminUrl ? false : "LIM_TEST_POSTGRES_URL is not set (no PostgreSQL server to compare with)" }, () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof createTestPostgresDatabase>>;
  const urls: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-parity-"));
    writeLog(dir);
    pg = await createTestPostgresDatabase(adminUrl!);
    urls.sqlite = `file:${path.join(dir, "lim.db")}`;
    urls.postgresql = pg.url;
    for (const url of Object.values(urls)) {
      const env = { DATABASE_URL: url };
      const args = ["ingest", dir, "--name", "same", "--steps-per-epoch", "3", "--dataset", path.join(dir, "data.jsonl")];
      const first = await runCli(args, env);
      assert.equal(first.code, 0, first.stderr);
      const again = await runCli([...args, "--replace"], env); // replaced in one transaction: the same run again
      assert.equal(again.code, 0, again.stderr);
    }
  });
  after(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ["json", "jsonl", "parquet"]) {
    test(`lim export --format ${format} --with-scores writes the same bytes`, async () => {
      const bytes: Buffer[] = [];
      for (const [provider, url] of Object.entries(urls)) {
        const out = path.join(dir, `${provider}.${format}`);
        const r = await runCli(["export", "same", "--format", format, "--with-scores", "--threshold", "0.2", "--out", out], { DATABASE_URL: url });
        assert.equal(r.code, 0, r.stderr);
        bytes.push(readFileSync(out));
      }
      assert.ok(bytes[0].length > 1000, `the ${format} export holds rows`);
      assert.ok(bytes[0].equals(bytes[1]), `${format}: SQLite and PostgreSQL exports differ`);
    });
  }

  for (const method of ["lim", "variance"]) {
    test(`lim score --json --method ${method} gives the same scores`, async () => {
      const outputs: string[] = [];
      for (const url of Object.values(urls)) {
        const r = await runCli(["score", "same", "--json", "--method", method], { DATABASE_URL: url });
        assert.equal(r.code, 0, r.stderr);
        outputs.push(r.stdout);
      }
      assert.ok(outputs[0].length > 100);
      assert.deepEqual(JSON.parse(outputs[1]), JSON.parse(outputs[0]));
      assert.equal(outputs[1], outputs[0]);
    });
  }
});
