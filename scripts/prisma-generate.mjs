// Generates the Prisma clients (SQLite and PostgreSQL) without Prisma's native engines:
// `prisma generate` only needs WASM, but the CLI insists that a schema engine binary exists.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { POSTGRES_SCHEMA_FILE, postgresSchema } from "./postgres-schema.mjs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prismaCli)) {
  console.error("prisma is not installed yet; run npm install");
  process.exit(1);
}
// The PostgreSQL copy: same models, provider and output swapped (scripts/postgres-schema.mjs).
const pgCopy = path.join(root, POSTGRES_SCHEMA_FILE);
mkdirSync(path.dirname(pgCopy), { recursive: true });
writeFileSync(pgCopy, postgresSchema(readFileSync(path.join(root, "prisma/schema.prisma"), "utf8")));
for (const schema of ["prisma/schema.prisma", POSTGRES_SCHEMA_FILE]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schema], { cwd: root, env, stdio: "inherit" });
}
