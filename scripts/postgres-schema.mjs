// The PostgreSQL copy of prisma/schema.prisma: the same models with the provider and the
// client's output folder swapped. Developers edit prisma/schema.prisma only; this copy is
// written by scripts/prisma-generate.mjs (for its client) and read by scripts/create-migration.ts
// (for its migrations, in prisma/postgresql/migrations).
export const POSTGRES_SCHEMA_FILE = "prisma/postgresql/schema.prisma";

/** @param {string} text the SQLite schema @returns {string} */
export function postgresSchema(text) {
  const datasource = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*output\s*=\s*)"\.\.\/lib\/db\/generated\/sqlite"/;
  if (!datasource.test(text)) throw new Error('prisma/schema.prisma: expected datasource db { provider = "sqlite" }');
  if (!output.test(text)) throw new Error('prisma/schema.prisma: expected generator client { output = "../lib/db/generated/sqlite" }');
  if (text.split("\n").some((line) => /^[^/]*@db\./.test(line))) throw new Error("prisma/schema.prisma uses a @db.* type: keep the models portable (the PostgreSQL copy shares them)");
  return (
    "// Generated from prisma/schema.prisma by scripts/prisma-generate.mjs; do not edit.\n" +
    text.replace(datasource, '$1"postgresql"').replace(output, '$1"../../lib/db/generated/postgresql"')
  );
}
