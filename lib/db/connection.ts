import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import type { Database } from "better-sqlite3";
import { adapterFactory, databaseUrl, openClient, openConnection, type Db } from "./client";
import { migrateDatabase } from "./migrate";
import type { MigrateResult } from "./migrate-result";
import { closePostgresPools } from "./postgres-pool";

/**
 * Per process (on globalThis, so Next's dev reloads do not open a connection per edit):
 * one driver-adapter connection that lib/db's queries use, a plain better-sqlite3 one for
 * the sample reads (the scoring hot path), and a Prisma client opened only if someone asks
 * for it. All open only after the committed migrations are applied.
 */
interface State {
  url: string;
  conn: Promise<SqlDriverAdapter>;
  reader: Promise<Database> | null;
  client: Promise<Db> | null;
}
const g = globalThis as { __limDb?: State; __limMigrated?: Map<string, Promise<MigrateResult>> };

/** Applies committed migrations to `url` once per process. */
export function ensureMigrated(url: string): Promise<MigrateResult> {
  const done = (g.__limMigrated ??= new Map());
  let pending = done.get(url);
  if (!pending) {
    pending = migrateDatabase(url);
    done.set(url, pending);
    pending.catch(() => done.delete(url)); // let a later call retry
  }
  return pending;
}

async function current(): Promise<State> {
  const url = databaseUrl();
  if (g.__limDb?.url === url) return g.__limDb;
  if (g.__limDb) await closeDb(); // DATABASE_URL changed (tests): never mix two databases
  const state: State = { url, conn: ensureMigrated(url).then(() => adapterFactory(url).connect()), reader: null, client: null };
  g.__limDb = state;
  state.conn.catch(() => {
    if (g.__limDb === state) g.__limDb = undefined;
  });
  return state;
}

/** The connection lib/db's queries run on (committed data only: run writes use their own). */
export async function getConnection(): Promise<SqlDriverAdapter> {
  return (await current()).conn;
}

/** A plain better-sqlite3 connection on the same database (committed data only). */
export async function getReader(): Promise<Database> {
  const state = await current();
  if (!state.reader) {
    const reader = ensureMigrated(state.url).then(() => openConnection(state.url));
    state.reader = reader;
    reader.catch(() => {
      if (state.reader === reader) state.reader = null;
    });
  }
  return state.reader;
}

/** Prisma's typed client on the same database, migrated, for code that wants the model API. */
export async function getPrisma(): Promise<Db> {
  const state = await current();
  if (!state.client) {
    const client = ensureMigrated(state.url).then(() => openClient(state.url));
    state.client = client;
    client.catch(() => {
      if (state.client === client) state.client = null;
    });
  }
  return state.client;
}

export async function closeDb(): Promise<void> {
  const state = g.__limDb;
  g.__limDb = undefined;
  if (!state) return closePostgresPools();
  const [conn, reader, client] = await Promise.all([
    state.conn.catch(() => null),
    state.reader?.catch(() => null),
    state.client?.catch(() => null),
  ]);
  reader?.close();
  await Promise.all([conn?.dispose(), client?.$disconnect(), closePostgresPools()]);
}
