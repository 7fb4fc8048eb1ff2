import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { PrismaClient } from "./generated/sqlite/client";
import { describeFileError, ensureFolderFor } from "./sqlite-file";
import { queryBusyTimeoutMs, writerBusyTimeoutMs } from "./busy-timeout";
import { isPostgresUrl, POSTGRES_SESSION_OPTIONS } from "./postgres-pool";

/**
 * The one place that knows which database a URL means and how a connection is set up.
 * Everything else in lib/db goes through databaseUrl(), adapterFactory() (Prisma's driver
 * adapter: queries, migrations, PrismaClient), openBulkWriter() (run writes) and
 * openConnection() (plain better-sqlite3: the migration check and the sample reads).
 * Every connection opened here fails with a DatabaseFileError naming the file when the
 * file cannot be used.
 *
 * PostgreSQL: a `postgresql://` (or `postgres://`) URL gets Prisma's pg adapter and the client
 * generated from the PostgreSQL copy of the schema (a sqlite client refuses the pg adapter);
 * the hot paths speak SQL on plain `pg` pools (postgres-pool.ts) instead of better-sqlite3.
 */
export type Db = PrismaClient;
export type DbProvider = "sqlite" | "postgresql";

export { writerBusyTimeoutMs } from "./busy-timeout";

/** DATABASE_URL, or file:<cwd>/data/lim.db. Relative file: paths resolve against the cwd. */
export function databaseUrl(): string {
  const raw = process.env.DATABASE_URL?.trim() || "file:./data/lim.db";
  if (!raw.startsWith("file:")) return raw;
  return `file:${sqlitePath(raw)}`;
}

export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (isPostgresUrl(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.slice(0, 40)}"`);
}

/** Absolute file path of a file: URL (query string, as in file:./x.db?mode=..., dropped). */
export function sqlitePath(url: string): string {
  let rest = url.slice("file:".length).replace(/\?.*$/, "");
  if (rest.startsWith("//")) rest = rest.slice(2); // file:///abs/path
  if (rest === ":memory:") return rest;
  // The ignore comment: Turbopack would otherwise trace (and ship) the whole project for a
  // path it cannot see at build time; the database file is never part of the bundle.
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), rest);
}

/** SQLite page size for new files; it can only be chosen before the first table exists. */
export const SQLITE_PAGE_SIZE = 32768;

/**
 * Run on every SQLite connection lib/db opens (Prisma's, the run writer's, the schema engine's).
 * - page_size (new files only, so it comes before WAL): ingest writes hundreds of MB of example
 *   text in one transaction, and with the default 4 KB pages that ran at half the speed here.
 * - WAL: readers (the web app) never block the one writer and see only committed runs.
 * - synchronous=NORMAL is safe in WAL: a killed process loses nothing committed.
 * - foreign_keys: deleting a run cascades to its rows only with this on.
 * - journal_size_limit: a multi-GB ingest must not leave a multi-GB -wal file behind.
 * - mmap_size (query connections only): reads map the file instead of copying pages; loading
 *   8.5k samples in a fresh process took ~130 ms instead of ~200 ms here. The run writer
 *   keeps it off so the pages it touches do not count towards ingest's resident memory.
 */
export const SQLITE_SESSION = [
  `PRAGMA page_size = ${SQLITE_PAGE_SIZE}`,
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  "PRAGMA journal_size_limit = 67108864",
].join(";\n");
const SQLITE_MMAP = "PRAGMA mmap_size = 268435456";

export interface ConnectionOptions {
  busyTimeoutMs?: number;
  mmap?: boolean;
}

export function adapterFactory(
  url: string,
  { busyTimeoutMs = queryBusyTimeoutMs(), mmap = true }: ConnectionOptions = {},
): SqlMigrationAwareDriverAdapterFactory {
  if (providerOf(url) === "postgresql") return new PrismaPg({ connectionString: url, options: POSTGRES_SESSION_OPTIONS, max: 4 });
  const file = sqlitePath(url);
  if (file !== ":memory:") ensureFolderFor(file);
  const inner = new PrismaBetterSqlite3({ url: file, timeout: busyTimeoutMs });
  const prepare = async (adapter: SqlDriverAdapter) => {
    try {
      await adapter.executeScript(mmap ? `${SQLITE_SESSION};\n${SQLITE_MMAP}` : SQLITE_SESSION);
    } catch (error) {
      await adapter.dispose();
      throw describeFileError(file, error);
    }
    return adapter;
  };
  const connect = async (open: () => Promise<SqlDriverAdapter>) => {
    let adapter: SqlDriverAdapter;
    try {
      adapter = await open();
    } catch (error) {
      throw describeFileError(file, error);
    }
    return prepare(adapter);
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => connect(() => inner.connect()),
    connectToShadowDb: () => connect(() => inner.connectToShadowDb()),
  };
}

/**
 * A plain better-sqlite3 connection on `url`, set up like every other connection. Used
 * where the driver adapter costs too much: it turns every integer into a BigInt and back
 * and copies each row once more, which made loading 100k samples ~10-30% slower here.
 */
export function openConnection(url: string, { busyTimeoutMs = queryBusyTimeoutMs(), mmap = true }: ConnectionOptions = {}): Database.Database {
  if (providerOf(url) !== "sqlite") throw new Error("openConnection is SQLite's; on PostgreSQL lib/db uses postgresPool(url)");
  const file = sqlitePath(url);
  if (file !== ":memory:") ensureFolderFor(file);
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    db.exec(mmap ? `${SQLITE_SESSION};\n${SQLITE_MMAP}` : SQLITE_SESSION);
    return db;
  } catch (error) {
    db?.close();
    throw describeFileError(file, error);
  }
}

/**
 * The connection for writeRun's bulk rows (see write-run.ts for why it bypasses the driver
 * adapter): no mmap, and a long wait for another writer's lock.
 */
export function openBulkWriter(url: string): Database.Database {
  return openConnection(url, { busyTimeoutMs: writerBusyTimeoutMs(), mmap: false });
}

/**
 * A Prisma client on `url`. Loaded on demand: lib/db's own queries do not need it, and
 * importing it costs a CLI command ~0.1 s before its first query costs ~0.3 s more.
 */
export async function openClient(url: string): Promise<Db> {
  if (providerOf(url) === "postgresql") {
    // The same models from the PostgreSQL copy of the schema: one API, another dialect.
    const { PrismaClient: PgClient } = await import("./generated/postgresql/client");
    return new PgClient({ adapter: adapterFactory(url) }) as unknown as Db;
  }
  const { PrismaClient } = await import("./generated/sqlite/client");
  return new PrismaClient({ adapter: adapterFactory(url) });
}
