import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { adapterFactory, databaseUrl } from "./client";
import { committedMigrations } from "./committed-migrations";
import { migrateDatabase } from "./migrate";
import { bundleText, NO_FILTERS, readMigrationsFolder, toMigrationList } from "./migration-files";
import { openSchemaEngine } from "./schema-engine";
import { useTempDatabase, type TempDatabase } from "./test-db";
import { getPrisma, listRuns } from "./index";
import { committedPostgresMigrations } from "./committed-migrations-postgres";
import { testPostgresUrl } from "./test-postgres";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const names = committedMigrations.migrations.map((m) => m.name);
const onPostgres = testPostgresUrl() !== null;
/** The SQLite file's own tests: one pass is enough, and on PostgreSQL there is no file. */
const sqliteOnly = { skip: onPostgres && "about the SQLite file (its journal, page size, lock file) or no database at all" };

function appliedMigrations(file: string): { migration_name: string; finished_at: string | null; checksum: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY started_at").all() as never;
  } finally {
    db.close();
  }
}

/** The migrations recorded in the database at `url`, in order, on a connection of its own. */
async function appliedNames(url: string): Promise<string[]> {
  const sql = "SELECT migration_name FROM _prisma_migrations ORDER BY started_at, migration_name";
  if (!onPostgres) return appliedMigrations(url.replace(/^file:/, "")).map((r) => r.migration_name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}

describe("migrations, several processes at once", () => {
  // On SQLite they take turns on a lock file beside the database; on PostgreSQL on a session advisory lock.
  const expected = onPostgres ? committedPostgresMigrations.migrations.map((m) => m.name) : names;

  test("processes starting together on a fresh database apply the migrations once", async () => {
    const fresh = await useTempDatabase();
    try {
      const run = promisify(execFile);
      const outs = await Promise.all(
        [1, 2, 3].map(() =>
          run(process.execPath, ["--import", "tsx", path.join(root, "lib/db/test-child.ts"), "migrate"], {
            cwd: root,
            env: { ...process.env, DATABASE_URL: fresh.url },
          }),
        ),
      );
      const results = outs.map((o) => JSON.parse(o.stdout) as { applied: string[] });
      assert.deepEqual(results.flatMap((r) => r.applied), expected);
      assert.deepEqual(await appliedNames(fresh.url), expected);
      if (!onPostgres) assert.equal(existsSync(`${fresh.file}.migrating`), false, "the migration lock is released");
      assert.deepEqual(await listRuns(), [], "the database opens and answers afterwards");
    } finally {
      await fresh.cleanup();
    }
  });
});

describe("migrations", sqliteOnly, () => {
  let tmp: TempDatabase;
  before(async () => {
    tmp = await useTempDatabase();
  });
  after(() => tmp.cleanup());

  test("a fresh file gets every committed migration, recorded as prisma migrate deploy would", async () => {
    const result = await migrateDatabase(tmp.url);
    assert.deepEqual(result.applied, names);
    assert.equal(result.skippedEngine, false);
    const rows = appliedMigrations(tmp.file);
    assert.deepEqual(rows.map((r) => r.migration_name), names);
    assert.ok(rows.every((r) => r.finished_at !== null && /^[0-9a-f]{64}$/.test(r.checksum)));

    const db = new Database(tmp.file, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    assert.deepEqual(tables.filter((t) => !String(t).startsWith("sqlite_")), ["DatasetBlock", "DatasetRow", "Example", "ExampleBlock", "Run", "Sample", "SampleBlock", "SavedSet", "SavedSetChunk", "SavedSetFile", "StepBlock", "_prisma_migrations"]);
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    assert.equal(db.pragma("page_size", { simple: true }), 32768);
    db.close();
  });

  test("reopening is idempotent and skips the WASM engine", async () => {
    const again = await migrateDatabase(tmp.url);
    assert.deepEqual(again.applied, []);
    assert.equal(again.skippedEngine, true);
    assert.ok(again.ms < 100, `cheap check took ${again.ms} ms`);
    assert.equal(appliedMigrations(tmp.file).length, names.length);
  });

  test("the engine itself finds nothing to apply on an up-to-date database", async () => {
    const session = await openSchemaEngine(adapterFactory(tmp.url));
    try {
      const out = await session.engine.applyMigrations({ migrationsList: toMigrationList(committedMigrations), filters: NO_FILTERS });
      assert.deepEqual(out.appliedMigrationNames, []);
    } finally {
      await session.close();
    }
    assert.equal(appliedMigrations(tmp.file).length, names.length);
  });

  test("getPrisma() migrates before its first query", async () => {
    const fresh = await useTempDatabase();
    try {
      assert.deepEqual(await listRuns(), []);
      const db = await getPrisma();
      assert.equal(await db.run.count(), 0);
      assert.deepEqual(appliedMigrations(fresh.file).map((r) => r.migration_name), names);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe("committed migrations", sqliteOnly, () => {
  test("the embedded copy is exactly prisma/migrations", () => {
    const onDisk = readMigrationsFolder(path.join(root, "prisma/migrations"), "sqlite");
    assert.deepEqual(committedMigrations, onDisk);
    assert.ok(names.length > 0);
  });

  test("schema.prisma holds no change that lacks a migration", () => {
    // Exits 1 with the missing SQL when someone edits the schema without `npm run db:migration`.
    execFileSync(process.execPath, ["--import", "tsx", "scripts/create-migration.ts", "--check"], { cwd: root, stdio: "pipe" });
  });

  test("bundleText is what create-migration writes", () => {
    assert.match(bundleText(committedMigrations), /export const committedMigrations: MigrationSet = /);
  });
});

describe("databaseUrl", sqliteOnly, () => {
  const saved = process.env.DATABASE_URL;
  after(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  test("defaults to data/lim.db under the working directory, as an absolute path", () => {
    delete process.env.DATABASE_URL;
    assert.equal(databaseUrl(), `file:${path.join(process.cwd(), "data", "lim.db")}`);
  });

  test("resolves a relative file: URL against the working directory", () => {
    process.env.DATABASE_URL = "file:./x/y.db";
    assert.equal(databaseUrl(), `file:${path.join(process.cwd(), "x", "y.db")}`);
  });
});
