/**
 * The two databases `npm run bench:load` serves from: a SQLite file in a temporary folder, or
 * a private PostgreSQL cluster (scripts/postgres-test-cluster.sh: initdb in a temporary folder,
 * the server on 127.0.0.1 with fsync off, as the tests run it), each thrown away at the end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { root } from "./ui-helpers";

export type DbKind = "sqlite" | "postgres";

export interface BenchDatabase {
  kind: DbKind;
  url: string;
  /** In words, for the report. */
  describe: string;
  drop(): void;
}

const CLUSTER = path.join(root, "scripts", "postgres-test-cluster.sh");

/** False when PostgreSQL is not installed (no initdb). */
export function postgresInstalled(): boolean {
  return spawnSync(CLUSTER, ["bin"], { stdio: "ignore" }).status === 0;
}

export async function openBenchDatabase(kind: DbKind): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lim-load-${kind}-`));
  if (kind === "sqlite") {
    return {
      kind,
      url: `file:${path.join(dir, "lim.db")}`,
      describe: `SQLite file ${path.join(dir, "lim.db")}`,
      drop: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = execFileSync(CLUSTER, ["start", dir], { encoding: "utf8" }).trim();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  let version: string;
  try {
    version = (await client.query("SHOW server_version")).rows[0].server_version;
    await client.query("CREATE DATABASE lim_load");
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = "/lim_load";
  return {
    kind,
    url: url.toString(),
    describe: `PostgreSQL ${version}, a private cluster on 127.0.0.1 (fsync off)`,
    drop: () => {
      spawnSync(CLUSTER, ["stop", dir], { stdio: "ignore" });
    },
  };
}
