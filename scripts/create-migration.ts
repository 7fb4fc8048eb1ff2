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
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { bundleText, lockfileText, NO_FILTERS, readMigrationsFolder } from "../lib/db/migration-files";
import { openSchemaEngine } from "../lib/db/schema-engine";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const schemaFile = "prisma/schema.prisma";
const migrationsDir = path.join(root, "prisma/migrations");
const historyDir = path.join(root, "prisma/schema-history");
const bundleFile = path.join(root, "lib/db/committed-migrations.ts");
const provider = "sqlite";

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const name = argv.find((a) => !a.startsWith("--"));
  if (!check && !name) {
    console.error("usage: npm run db:migration -- <name>   (or --check)");
    return 2;
  }
  const set = readMigrationsFolder(migrationsDir, provider);
  const last = set.migrations.at(-1)?.name;
  const previous = last ? readHistory(last) : null;
  const schema = readFileSync(path.join(root, schemaFile), "utf8");

  const session = await openSchemaEngine(new PrismaBetterSqlite3({ url: ":memory:" }), [[schemaFile, schema]]);
  let sql: string;
  try {
    const result = await session.engine.diff({
      from: previous ? { tag: "schemaDatamodel", files: [{ path: previous.path, content: previous.text }] } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // exitCode 2 = the schemas differ (as `prisma migrate diff --exit-code`).
    sql = result.exitCode === 2 ? (result.stdout ?? "") : "";
  } catch (error) {
    throw session.explain(error);
  } finally {
    await session.close();
  }

  if (check) {
    if (sql) {
      console.error(`${schemaFile} has changes no migration holds; run npm run db:migration -- <name>\n\n${sql}`);
      return 1;
    }
    const stale = bundleText(set) !== readIfExists(bundleFile);
    if (stale) console.error("lib/db/committed-migrations.ts is out of date; run npm run db:migration -- <name>");
    return stale ? 1 : 0;
  }

  if (!sql) {
    console.error(`No schema changes since ${last ?? "the empty database"}; nothing written.`);
  } else {
    const folder = `${timestamp(new Date())}_${slug(name!)}`;
    mkdirSync(path.join(migrationsDir, folder), { recursive: true });
    writeFileSync(path.join(migrationsDir, folder, "migration.sql"), sql);
    mkdirSync(historyDir, { recursive: true });
    writeFileSync(path.join(historyDir, `${folder}.prisma`), schema);
    console.error(`Wrote prisma/migrations/${folder}/migration.sql and prisma/schema-history/${folder}.prisma`);
  }
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lockPath)) writeFileSync(lockPath, lockfileText(provider));
  writeFileSync(bundleFile, bundleText(readMigrationsFolder(migrationsDir, provider)));
  return 0;
}

function readHistory(migration: string): { path: string; text: string } {
  const file = path.join(historyDir, `${migration}.prisma`);
  if (!existsSync(file)) {
    throw new Error(
      `prisma/schema-history/${migration}.prisma is missing: the schema the last migration was made from is needed to diff against`,
    );
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
