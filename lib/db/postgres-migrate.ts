import { adapterFactory } from "./client";
import { committedPostgresMigrations } from "./committed-migrations-postgres";
import { NO_FILTERS, toMigrationList, type MigrationSet } from "./migration-files";
import type { MigrateResult } from "./migrate-result";
import { postgresPool } from "./postgres-pool";
import { openSchemaEngine } from "./schema-engine";

/** pg_advisory_lock key of "lim: migrating" (any constant; SQLite's file lock plays this part there). */
const MIGRATION_LOCK = 0x6c696d6d;

/**
 * migrateDatabase on PostgreSQL: the committed PostgreSQL migrations (prisma/postgresql/migrations,
 * embedded) applied by the same WASM schema engine through Prisma's pg adapter. A plain query
 * first checks whether every one is recorded; then nothing else runs. Two processes starting
 * on a fresh database take turns on a session advisory lock, as SQLite's take a lock file.
 * PostgreSQL databases have no runs stored by earlier versions: nothing is converted.
 */
export async function migratePostgres(url: string, set: MigrationSet = committedPostgresMigrations): Promise<MigrateResult> {
  const started = performance.now();
  const done = (applied: string[], skippedEngine: boolean): MigrateResult => ({ applied, skippedEngine, ms: performance.now() - started, converted: 0 });
  const pool = postgresPool(url);
  if (await allApplied(pool, set, url)) return done([], true);
  const lock = await pool.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      if (await allApplied(pool, set, url)) return done([], true);
      return done(await applyWithEngine(url, set), false);
    } finally {
      await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    lock.release();
  }
}

async function allApplied(pool: ReturnType<typeof postgresPool>, set: MigrationSet, url: string): Promise<boolean> {
  let rows: { migration_name: string }[];
  try {
    const table = await pool.query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS "exists"`);
    if (!table.rows[0].exists) return false;
    rows = (await pool.query(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)).rows;
  } catch (error) {
    throw new Error(`Cannot open the PostgreSQL database ${redacted(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const applied = new Set(rows.map((r) => r.migration_name));
  return set.migrations.every((m) => applied.has(m.name));
}

async function applyWithEngine(url: string, set: MigrationSet): Promise<string[]> {
  const session = await openSchemaEngine(adapterFactory(url));
  try {
    const { appliedMigrationNames } = await session.engine.applyMigrations({
      migrationsList: toMigrationList(set, "prisma/postgresql/migrations"),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  } catch (error) {
    throw new Error(`Could not apply database migrations to ${redacted(url)}: ${session.explain(error).message}`, { cause: error });
  } finally {
    await session.close();
  }
}

/** A URL fit for a message: no password. */
export function redacted(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
