import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb } from "./connection";
import { createTestPostgresDatabase, testPostgresUrl } from "./test-postgres";
import { DEFAULT_RUN_OPTIONS, EMPTY_RUN_COUNTS, type NewRun } from "./types";

export interface TempDatabase {
  url: string;
  file: string;
  /** Closes the connection and deletes the file. */
  cleanup(): Promise<void>;
}

/**
 * Points this process (and children that inherit process.env) at a new, empty SQLite file
 * under the OS temp dir. Migrations run on first use, as in production.
 */
export async function useTempDatabase(): Promise<TempDatabase> {
  await closeDb();
  const postgres = testPostgresUrl();
  if (postgres) {
    // The PostgreSQL pass (LIM_TEST_POSTGRES_URL): a fresh database per call; `file` is a
    // temp folder's path for tests that put other files beside the database.
    const db = await createTestPostgresDatabase(postgres);
    const dir = mkdtempSync(path.join(os.tmpdir(), "lim-db-"));
    process.env.DATABASE_URL = db.url;
    return {
      url: db.url,
      file: path.join(dir, "lim.db"),
      async cleanup() {
        await closeDb();
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "lim-db-"));
  const file = path.join(dir, "lim.db");
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  return {
    url,
    file,
    async cleanup() {
      await closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A run header for tests; counts are whatever fill reports. */
export function testRun(name: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    name,
    format: "openrlhf",
    kind: "rollouts",
    source: `/runs/${name}/train`,
    stepsPerEpoch: 8,
    successReward: 1,
    promptField: "prompt",
    keepExamples: 2,
    ...EMPTY_RUN_COUNTS,
    ...DEFAULT_RUN_OPTIONS,
    datasetFile: null,
    warnings: [],
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (tests never use Math.random). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * count(*) of a table's rows (of one run, when runId is given), read straight from the
 * database at `url` on a connection of its own: what a user inspecting it sees. Either database.
 */
export async function countRows(url: string, table: string, runId?: number): Promise<number> {
  const where = runId === undefined ? "" : ` WHERE "runId" = ${Number(runId)}`;
  const sql = `SELECT count(*) AS n FROM "${table}"${where}`;
  if (testPostgresUrl() && !url.startsWith("file:")) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query(sql)).rows[0].n);
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(url.replace(/^file:/, ""), { readonly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}
