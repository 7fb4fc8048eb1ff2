import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { adapterFactory } from "./client";
import { committedMigrations } from "./committed-migrations";
import { NO_FILTERS, toMigrationList, type MigrationSet } from "./migration-files";
import { openSchemaEngine } from "./schema-engine";

export interface MigrateResult {
  /** Migrations this call applied (empty when the database was up to date). */
  applied: string[];
  /** True when the cheap check found every migration applied and the engine was not loaded. */
  skippedEngine: boolean;
  ms: number;
}

/**
 * `prisma migrate deploy` for the database at `url`, through Prisma's WASM schema engine:
 * applies the committed migrations not yet applied and records them in _prisma_migrations
 * exactly as the CLI does. Loading the engine costs ~0.2 s, so a plain query first checks
 * whether every committed migration is already recorded; then nothing else runs.
 */
export async function migrateDatabase(url: string, set: MigrationSet = committedMigrations): Promise<MigrateResult> {
  const started = performance.now();
  const factory = adapterFactory(url);
  const done = () => performance.now() - started;
  if (await allApplied(factory, set)) return { applied: [], skippedEngine: true, ms: done() };

  const session = await openSchemaEngine(factory);
  try {
    const { appliedMigrationNames } = await session.engine.applyMigrations({
      migrationsList: toMigrationList(set),
      filters: NO_FILTERS,
    });
    return { applied: appliedMigrationNames, skippedEngine: false, ms: done() };
  } catch (error) {
    // Another process may have migrated the same fresh file at the same moment.
    if (await allApplied(factory, set).catch(() => false)) return { applied: [], skippedEngine: false, ms: done() };
    const reason = session.explain(error).message;
    throw new Error(`Could not apply database migrations to ${url}: ${reason}`, { cause: error });
  } finally {
    // engine.free() leaves the adapter's connection open, and an open SQLite connection
    // would hold locks a later client waits on.
    await session.close();
  }
}

async function allApplied(factory: ReturnType<typeof adapterFactory>, set: MigrationSet): Promise<boolean> {
  let adapter: SqlDriverAdapter | null = null;
  try {
    adapter = await factory.connect();
    const result = await adapter.queryRaw({
      sql: "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
      args: [],
      argTypes: [],
    });
    const applied = new Set(result.rows.map((row) => String(row[0])));
    return set.migrations.every((m) => applied.has(m.name));
  } catch {
    return false; // no _prisma_migrations table yet: a fresh database
  } finally {
    await adapter?.dispose();
  }
}

