import pg from "pg";

/**
 * The PostgreSQL side of the tests: with LIM_TEST_POSTGRES_URL set (an admin URL on a server
 * the tests may create databases on, e.g. postgresql://lim@127.0.0.1:5432/postgres), every
 * useTempDatabase() gets a fresh database of its own there, dropped by its cleanup.
 * `npm test` sets it for its PostgreSQL pass (a private cluster, scripts/postgres-test-cluster.sh).
 */
export function testPostgresUrl(): string | null {
  return process.env.LIM_TEST_POSTGRES_URL?.trim() || null;
}

let counter = 0;

/** Creates an empty database on the test server; returns its URL and a function that drops it. */
export async function createTestPostgresDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lim_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
