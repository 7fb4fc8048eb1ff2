import { ColumnTypeEnum, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * A PostgreSQL "connection" for diffing two schema files (scripts/create-migration.ts), so
 * writing a migration needs no server. The schema engine opens a connection when it starts and
 * asks one thing: whether the schema exists and the server's version; it is told PostgreSQL 15
 * (what Debian ships and CI runs). Anything else is refused, so a diff that did need a database
 * says so instead of answering wrong.
 */
export function offlinePostgresFactory(): SqlMigrationAwareDriverAdapterFactory {
  const refuse = (sql: string): never => {
    throw new Error(`offline PostgreSQL adapter: diffing schema files should not run ${sql.slice(0, 80)}`);
  };
  const adapter = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    async queryRaw(q: { sql: string }) {
      if (!q.sql.includes("server_version_num")) refuse(q.sql);
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, "PostgreSQL 15.0", 150000]],
      };
    },
    async executeRaw(q: { sql: string }) {
      return refuse(q.sql);
    },
    async executeScript(sql: string) {
      refuse(sql);
    },
    async startTransaction() {
      return refuse("BEGIN");
    },
    async dispose() {},
  } as unknown as SqlDriverAdapter;
  return { provider: "postgres", adapterName: "@prisma/adapter-pg", connect: async () => adapter, connectToShadowDb: async () => adapter };
}
