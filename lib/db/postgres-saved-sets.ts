import type { PoolClient } from "pg";
import { databaseUrl } from "./client";
import { ensureMigrated } from "./connection";
import { postgresPool } from "./postgres-pool";
import { savedSetFromRow, SetExistsError, type NewSavedSet, type SavedSetRecord } from "./saved-set-record";
import { storedDate } from "./sql";

/**
 * saved-sets.ts on PostgreSQL: the same rows through `pg`. A set and all its chunks go in one
 * transaction, its name held by a transaction advisory lock (as a run's is), the old set of
 * that name deleted in it with `replace`.
 */
async function pool() {
  const url = databaseUrl();
  await ensureMigrated(url);
  return postgresPool(url);
}

export async function insertSavedSetPostgres(set: NewSavedSet, opts: { replace?: boolean; now?: Date }): Promise<SavedSetRecord> {
  const tx = await (await pool()).connect();
  let id: number;
  try {
    await tx.query("BEGIN");
    try {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`lim set ${set.name}`]);
      if (opts.replace) await tx.query(`DELETE FROM "SavedSet" WHERE "name" = $1`, [set.name]); // cascades to files and chunks
      else if ((await tx.query(`SELECT 1 FROM "SavedSet" WHERE "name" = $1`, [set.name])).rowCount) throw new SetExistsError(set.name);
      id = await insertHeader(tx, set, opts.now ?? new Date());
      for (const f of set.files) {
        await tx.query(`INSERT INTO "SavedSetFile" ("setId", "format", "bytes", "sha256", "manifest") VALUES ($1, $2, $3, $4, $5)`, [id, f.format, f.bytes, f.sha256, f.manifest]);
        for (let seq = 0; seq < f.chunks.length; seq++) {
          await tx.query(`INSERT INTO "SavedSetChunk" ("setId", "format", "seq", "data") VALUES ($1, $2, $3, $4)`, [id, f.format, seq, Buffer.from(f.chunks[seq])]);
        }
      }
      await tx.query("COMMIT");
    } catch (error) {
      await tx.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    tx.release();
  }
  return (await readSets(`WHERE s."id" = $1`, [id]))[0];
}

async function insertHeader(tx: PoolClient, s: NewSavedSet, now: Date): Promise<number> {
  const values: Record<string, unknown> = {
    name: s.name,
    note: s.note,
    runId: s.run.id,
    runName: s.run.name,
    runSource: s.run.source,
    runCreatedAt: storedDate(s.run.createdAt),
    runUpdatedAt: storedDate(s.run.updatedAt),
    format: s.format,
    withScores: s.withScores,
    method: s.method,
    rule: JSON.stringify(s.rule),
    seed: s.seed,
    parameters: JSON.stringify(s.parameters),
    ...s.counts,
    toolName: s.tool.name,
    toolVersion: s.tool.version,
    createdAt: storedDate(now),
    identities: Buffer.from(s.identities),
  };
  const keys = Object.keys(values);
  const sql = `INSERT INTO "SavedSet" (${keys.map((k) => `"${k}"`).join(", ")}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING "id"`;
  return Number((await tx.query(sql, Object.values(values))).rows[0].id);
}

const HEADER = `s."id", s."name", s."note", s."createdAt", s."runId", s."runName", s."runSource", s."runCreatedAt", s."runUpdatedAt",
  s."format", s."withScores", s."method", s."rule", s."seed", s."parameters", s."prompts", s."scored", s."excluded", s."selected", s."rows",
  s."toolName", s."toolVersion"`;

export async function readSets(where: string, args: unknown[]): Promise<SavedSetRecord[]> {
  const db = await pool();
  const rows = (await db.query(`SELECT ${HEADER} FROM "SavedSet" s ${where} ORDER BY s."createdAt" DESC, s."id" DESC`, args)).rows as Record<string, unknown>[];
  const out: SavedSetRecord[] = [];
  for (const r of rows) {
    const files = (await db.query(`SELECT "format", "bytes", "sha256" FROM "SavedSetFile" WHERE "setId" = $1 ORDER BY "format"`, [r.id])).rows as { format: string; bytes: number; sha256: string }[];
    out.push(savedSetFromRow(r, files));
  }
  return out;
}

export async function deleteSavedSetPostgres(name: string): Promise<boolean> {
  return ((await (await pool()).query(`DELETE FROM "SavedSet" WHERE "name" = $1`, [name])).rowCount ?? 0) > 0;
}

export async function savedSetIdentitiesPostgres(name: string): Promise<Uint8Array | null> {
  const row = (await (await pool()).query(`SELECT "identities" FROM "SavedSet" WHERE "name" = $1`, [name])).rows[0] as { identities: Buffer } | undefined;
  return row ? new Uint8Array(row.identities) : null;
}

/** One query for the chunks, inside one snapshot with the manifest (a REPEATABLE READ read). */
export async function savedSetFilePostgres(setId: number, format: string): Promise<{ manifest: string; chunks: Uint8Array[] } | null> {
  const c = await (await pool()).connect();
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const file = (await c.query(`SELECT "manifest" FROM "SavedSetFile" WHERE "setId" = $1 AND "format" = $2`, [setId, format])).rows[0] as { manifest: string } | undefined;
    const chunks = file ? ((await c.query({ text: `SELECT "data" FROM "SavedSetChunk" WHERE "setId" = $1 AND "format" = $2 ORDER BY "seq"`, values: [setId, format], rowMode: "array" })).rows as [Buffer][]).map(([d]) => new Uint8Array(d)) : [];
    await c.query("COMMIT");
    return file ? { manifest: file.manifest, chunks } : null;
  } finally {
    c.release();
  }
}
