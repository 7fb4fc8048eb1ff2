/**
 * npm run db:migration -- <name>     write a migration for the edits in prisma/schema.prisma
 * npm run db:migration -- --check    exit 1 if schema.prisma has edits no migration holds
 *
 * The Prisma CLI would diff against a shadow database, which needs the native engine we
 * cannot download. Instead each migration keeps a copy of the schema it was made from
 * (prisma/schema-history/<migration>.prisma) and Prisma's WASM schema engine diffs that copy
 * against the current schema. The SQL lands in prisma/migrations/<timestamp>_<name>/ as
 * `prisma migrate dev` would write it, and lib/db/committed-migrations.ts embeds the folder
 * so the app applies migrations without reading prisma/ at run time.
 *
 * Both databases, from the one schema: the PostgreSQL copy (scripts/postgres-schema.mjs) gets
 * its own migrations the same way, in prisma/postgresql/migrations with its history in
 * prisma/postgresql/schema-history, embedded in lib/db/committed-migrations-postgres.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bundleText, lockfileText, NO_FILTERS, readMigrationsFolder } from "../lib/db/migration-files";
import { offlinePostgresFactory } from "../lib/db/postgres-offline-adapter";
import { openSchemaEngine } from "../lib/db/schema-engine";
import { POSTGRES_SCHEMA_FILE, postgresSchema } from "./postgres-schema.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const schemaFile = "prisma/schema.prisma";

interface Target {
  provider: string;
  schemaFile: string;
  schema: (sqliteSchema: string) => string;
  migrations: string;
  history: string;
  bundle: string;
  exportName: string;
  /** Only for the engine's dialect: diffing two schemas opens no connection. */
  adapter: () => SqlMigrationAwareDriverAdapterFactory;
}

const TARGETS: Target[] = [
  {
    provider: "sqlite",
    schemaFile,
    schema: (s) => s,
    migrations: "prisma/migrations",
    history: "prisma/schema-history",
    bundle: "lib/db/committed-migrations.ts",
    exportName: "committedMigrations",
    adapter: () => new PrismaBetterSqlite3({ url: ":memory:" }),
  },
  {
    provider: "postgresql",
    schemaFile: POSTGRES_SCHEMA_FILE,
    schema: postgresSchema,
    migrations: "prisma/postgresql/migrations",
    history: "prisma/postgresql/schema-history",
    bundle: "lib/db/committed-migrations-postgres.ts",
    exportName: "committedPostgresMigrations",
    adapter: offlinePostgresFactory,
  },
];

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const name = argv.find((a) => !a.startsWith("--"));
  if (!check && !name) {
    console.error("usage: npm run db:migration -- <name>   (or --check)");
    return 2;
  }
  const source = readFileSync(path.join(root, schemaFile), "utf8");
  const folder = name ? `${timestamp(new Date())}_${slug(name)}` : "";
  let status = 0;
  for (const target of TARGETS) {
    const code = check ? await checkTarget(target, source) : await writeTarget(target, source, folder);
    status = Math.max(status, code);
  }
  return status;
}

/** The SQL that takes the target's last migration's schema to the current one ("" when none is needed). */
async function pendingSql(t: Target, schema: string): Promise<{ sql: string; last: string | undefined }> {
  const set = readMigrationsFolder(path.join(root, t.migrations), t.provider);
  const last = set.migrations.at(-1)?.name;
  const previous = last ? readHistory(t, last) : null;
  const session = await openSchemaEngine(t.adapter(), [[t.schemaFile, schema]]);
  try {
    const result = await session.engine.diff({
      from: previous ? { tag: "schemaDatamodel", files: [{ path: previous.path, content: previous.text }] } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: t.schemaFile, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // exitCode 2 = the schemas differ (as `prisma migrate diff --exit-code`).
    return { sql: result.exitCode === 2 ? (result.stdout ?? "") : "", last };
  } catch (error) {
    throw session.explain(error);
  } finally {
    await session.close();
  }
}

async function checkTarget(t: Target, source: string): Promise<number> {
  const { sql } = await pendingSql(t, t.schema(source));
  if (sql) {
    console.error(`${schemaFile} has changes no ${t.provider} migration holds; run npm run db:migration -- <name>\n\n${sql}`);
    return 1;
  }
  const set = readMigrationsFolder(path.join(root, t.migrations), t.provider);
  const stale = bundleText(set, t.exportName, t.migrations) !== readIfExists(path.join(root, t.bundle));
  if (stale) console.error(`${t.bundle} is out of date; run npm run db:migration -- <name>`);
  return stale ? 1 : 0;
}

async function writeTarget(t: Target, source: string, folder: string): Promise<number> {
  const schema = t.schema(source);
  const { sql, last } = await pendingSql(t, schema);
  const migrationsDir = path.join(root, t.migrations);
  if (!sql) {
    console.error(`${t.provider}: no schema changes since ${last ?? "the empty database"}; nothing written.`);
  } else {
    mkdirSync(path.join(migrationsDir, folder), { recursive: true });
    writeFileSync(path.join(migrationsDir, folder, "migration.sql"), sql);
    mkdirSync(path.join(root, t.history), { recursive: true });
    writeFileSync(path.join(root, t.history, `${folder}.prisma`), schema);
    console.error(`Wrote ${t.migrations}/${folder}/migration.sql and ${t.history}/${folder}.prisma`);
  }
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lockPath)) {
    mkdirSync(migrationsDir, { recursive: true });
    writeFileSync(lockPath, lockfileText(t.provider));
  }
  writeFileSync(path.join(root, t.bundle), bundleText(readMigrationsFolder(migrationsDir, t.provider), t.exportName, t.migrations));
  return 0;
}

function readHistory(t: Target, migration: string): { path: string; text: string } {
  const file = path.join(root, t.history, `${migration}.prisma`);
  if (!existsSync(file)) {
    throw new Error(`${t.history}/${migration}.prisma is missing: the schema the last migration was made from is needed to diff against`);
  }
  return { path: path.relative(root, file), text: readFileSync(file, "utf8") };
}

function readIfExists(file: string): string | null {
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!s) throw new Error(`migration name "${name}" has no letters or digits`);
  return s;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code), // explicit: the WASM glue can keep the process alive
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
