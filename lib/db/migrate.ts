import { adapterFactory, openConnection, providerOf, sqlitePath, writerBusyTimeoutMs } from "./client";
import { migratePostgres } from "./postgres-migrate";
import { convertLegacyRuns } from "./legacy-runs";
import { withFileLock } from "./file-lock";
import { describeFileError } from "./sqlite-file";
import { committedMigrations } from "./committed-migrations";
import { NO_FILTERS, toMigrationList, type MigrationSet } from "./migration-files";
import { openSchemaEngine } from "./schema-engine";
import type { MigrateResult } from "./migrate-result";

/**
 * `prisma migrate deploy` for the database at `url`, through Prisma's WASM schema engine:
 * applies the committed migrations not yet applied and records them in _prisma_migrations
 * exactly as the CLI does. Loading the engine costs ~0.2 s, so a plain query first checks
 * whether every committed migration is already recorded; then nothing else runs.
 * That check is also the first time a process opens the file: a file SQLite cannot use
 * fails here, with a DatabaseFileError naming it, before any lock or engine is involved.
 */
export async function migrateDatabase(url: string, set?: MigrationSet): Promise<MigrateResult> {
  if (providerOf(url) === "postgresql") return migratePostgres(url, set);
  set ??= committedMigrations;
  const started = performance.now();
  // Migrating needs the write lock, which an ingest in another process may hold for a while.
  const done = () => performance.now() - started;
  if (allApplied(url, set)) return { applied: [], skippedEngine: true, ms: done(), converted: convertLegacy(url) };
  const factory = adapterFactory(url, { mmap: false, busyTimeoutMs: writerBusyTimeoutMs() });
  // Two processes starting on a fresh file (the app and a CLI command) must not both apply:
  // SQLite answers the loser with BUSY mid-migration, which would leave a failed migration.
  return withFileLock(`${sqlitePath(url)}.migrating`, async () => {
    if (allApplied(url, set)) return { applied: [], skippedEngine: true, ms: done(), converted: convertLegacy(url) };
    const applied = await applyWithEngine(url, factory, set);
    return { applied, skippedEngine: false, ms: done(), converted: convertLegacy(url) };
  });
}

/** Runs stored by earlier versions, converted (see legacy-runs.ts); the check is one indexed query. */
function convertLegacy(url: string): number {
  const db = openConnection(url, { mmap: false, busyTimeoutMs: writerBusyTimeoutMs() });
  try {
    const hasBlocks = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'SampleBlock'`).get();
    return hasBlocks ? convertLegacyRuns(db) : 0;
  } finally {
    db.close();
  }
}

async function applyWithEngine(url: string, factory: ReturnType<typeof adapterFactory>, set: MigrationSet): Promise<string[]> {
  const session = await openSchemaEngine(factory);
  try {
    const { appliedMigrationNames } = await session.engine.applyMigrations({
      migrationsList: toMigrationList(set),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  } catch (error) {
    const reason = session.explain(error).message;
    throw new Error(`Could not apply database migrations to ${url}: ${reason}`, { cause: error });
  } finally {
    // engine.free() leaves the adapter's connection open, and an open SQLite connection
    // would hold locks a later client waits on.
    await session.close();
  }
}

function allApplied(url: string, set: MigrationSet): boolean {
  const db = openConnection(url, { mmap: false, busyTimeoutMs: writerBusyTimeoutMs() });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return false; // a fresh database
    const applied = new Set(
      db
        .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
        .pluck()
        .all()
        .map(String),
    );
    return set.migrations.every((m) => applied.has(m.name));
  } catch (error) {
    throw describeFileError(sqlitePath(url), error);
  } finally {
    db.close();
  }
}
