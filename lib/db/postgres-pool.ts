import pg from "pg";

/**
 * Plain `pg` pools, one per PostgreSQL URL per process (on globalThis, like connection.ts's
 * state): the hot paths (run writes, a run's columns, prompt and dataset reads, saved sets)
 * speak SQL on them, as they speak it on better-sqlite3 for SQLite. Prisma's pg adapter keeps
 * its own pool for the other queries and the schema engine.
 *
 * Every connection runs in UTC: DateTime columns are `timestamp(3)` (no zone), written as the
 * same UTC text the SQLite side stores, and read back as UTC. BIGINT comes back as a number
 * when it is safe (counts, byte totals), as text beyond 2^53.
 */
export const POSTGRES_SESSION_OPTIONS = "-c TimeZone=UTC";

const INT8 = 20;
const TIMESTAMP = 1114;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8) return (text: string) => (Number.isSafeInteger(Number(text)) ? Number(text) : text);
    if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

const g = globalThis as { __limPgPools?: Map<string, pg.Pool> };

export function postgresPool(url: string): pg.Pool {
  const pools = (g.__limPgPools ??= new Map());
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, options: POSTGRES_SESSION_OPTIONS, types, max: 8 });
    // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    pools.set(url, pool);
  }
  return pool;
}

/** Closes every pool this process opened (closeDb). */
export async function closePostgresPools(): Promise<void> {
  const pools = g.__limPgPools;
  if (!pools) return;
  g.__limPgPools = undefined;
  await Promise.all([...pools.values()].map((p) => p.end().catch(() => {})));
}

/** `?` placeholders (as lib/db writes SQL for SQLite) as PostgreSQL's $1, $2, ... */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
