import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { committedPostgresMigrations } from "./committed-migrations-postgres";
import { readMigrationsFolder } from "./migration-files";
import { postgresSchema } from "../../scripts/postgres-schema.mjs";

const root = path.resolve(import.meta.dirname, "../..");

describe("PostgreSQL migrations", () => {
  test("the embedded copy is exactly prisma/postgresql/migrations", () => {
    assert.deepEqual(committedPostgresMigrations, readMigrationsFolder(path.join(root, "prisma/postgresql/migrations"), "postgresql"));
    assert.equal(committedPostgresMigrations.migrations[0].name.endsWith("_postgresql_baseline"), true);
  });

  test("the PostgreSQL schema is the one schema with provider and output swapped", () => {
    const copy = postgresSchema(readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"));
    assert.match(copy, /provider = "postgresql"/);
    assert.match(copy, /output\s+= "\.\.\/\.\.\/lib\/db\/generated\/postgresql"/);
    assert.doesNotMatch(copy, /provider = "sqlite"/);
    assert.throws(() => postgresSchema(copy), /expected datasource db/);
  });
});
