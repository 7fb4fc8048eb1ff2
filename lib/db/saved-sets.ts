import type { Database } from "better-sqlite3";
import { getReader } from "./connection";
import { withWriteTransaction } from "./write-run";
import { storedDate } from "./sql";
import { savedSetFromRow, SetExistsError, type NewSavedSet, type SavedSetRecord, type SetFileRow } from "./saved-set-record";
import { databaseUrl, providerOf } from "./client";

/** PostgreSQL's saved sets are postgres-saved-sets.ts: the same rows through `pg`. */
const onPostgres = () => providerOf(databaseUrl()) === "postgresql";
const postgres = () => import("./postgres-saved-sets");

/** Stores a set and all its bytes in one transaction; with `replace`, the old set of that name goes in the same one. */
export async function insertSavedSet(set: NewSavedSet, opts: { replace?: boolean; now?: Date } = {}): Promise<SavedSetRecord> {
  if (onPostgres()) return (await postgres()).insertSavedSetPostgres(set, opts);
  return withWriteTransaction(
    `saving set "${set.name}"`,
    (db) => {
      if (opts.replace) db.prepare(`DELETE FROM "SavedSet" WHERE "name" = ?`).run(set.name); // cascades to files and chunks
      else if (db.prepare(`SELECT 1 FROM "SavedSet" WHERE "name" = ?`).get(set.name)) throw new SetExistsError(set.name);
      const id = insertHeader(db, set, opts.now ?? new Date());
      const file = db.prepare(`INSERT INTO "SavedSetFile" ("setId", "format", "bytes", "sha256", "manifest") VALUES (?, ?, ?, ?, ?)`);
      const chunk = db.prepare(`INSERT INTO "SavedSetChunk" ("setId", "format", "seq", "data") VALUES (?, ?, ?, ?)`);
      for (const f of set.files) {
        file.run(id, f.format, f.bytes, f.sha256, f.manifest);
        f.chunks.forEach((data, seq) => chunk.run(id, f.format, seq, data));
      }
      return id;
    },
    (db, id) => readSets(db, `WHERE s."id" = ?`, [id])[0],
  );
}

function insertHeader(db: Database, s: NewSavedSet, now: Date): number {
  const values: Record<string, unknown> = {
    name: s.name,
    note: s.note,
    runId: s.run.id,
    runName: s.run.name,
    runSource: s.run.source,
    runCreatedAt: storedDate(s.run.createdAt),
    runUpdatedAt: storedDate(s.run.updatedAt),
    format: s.format,
    withScores: s.withScores ? 1 : 0,
    method: s.method,
    rule: JSON.stringify(s.rule),
    seed: s.seed,
    parameters: JSON.stringify(s.parameters),
    ...s.counts,
    toolName: s.tool.name,
    toolVersion: s.tool.version,
    createdAt: storedDate(now),
    identities: s.identities,
  };
  const keys = Object.keys(values);
  const sql = `INSERT INTO "SavedSet" (${keys.map((k) => `"${k}"`).join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`;
  return Number(db.prepare(sql).run(...Object.values(values)).lastInsertRowid);
}

const HEADER = `s."id", s."name", s."note", s."createdAt", s."runId", s."runName", s."runSource", s."runCreatedAt", s."runUpdatedAt",
  s."format", s."withScores", s."method", s."rule", s."seed", s."parameters", s."prompts", s."scored", s."excluded", s."selected", s."rows",
  s."toolName", s."toolVersion"`;

function readSets(db: Database, where: string, args: unknown[]): SavedSetRecord[] {
  const rows = db.prepare(`SELECT ${HEADER} FROM "SavedSet" s ${where} ORDER BY s."createdAt" DESC, s."id" DESC`).all(...args) as Record<string, unknown>[];
  const files = db.prepare(`SELECT "format", "bytes", "sha256" FROM "SavedSetFile" WHERE "setId" = ? ORDER BY "format"`);
  return rows.map((r) => savedSetFromRow(r, files.all(r.id) as SetFileRow[]));
}

/** Every saved set, newest first. */
export async function listSavedSets(): Promise<SavedSetRecord[]> {
  if (onPostgres()) return (await postgres()).readSets("", []);
  return readSets(await getReader(), "", []);
}

export async function getSavedSet(name: string): Promise<SavedSetRecord | null> {
  if (onPostgres()) return (await (await postgres()).readSets(`WHERE s."name" = $1`, [name]))[0] ?? null;
  return readSets(await getReader(), `WHERE s."name" = ?`, [name])[0] ?? null;
}

/** Deletes a set and its bytes; false when there was none of that name. */
export async function deleteSavedSet(name: string): Promise<boolean> {
  if (onPostgres()) return (await postgres()).deleteSavedSetPostgres(name);
  return withWriteTransaction(`deleting set "${name}"`, (db) => db.prepare(`DELETE FROM "SavedSet" WHERE "name" = ?`).run(name).changes > 0);
}

/** The deflated identities of a set's rows, or null when there is no such set. */
export async function savedSetIdentities(name: string): Promise<Uint8Array | null> {
  if (onPostgres()) return (await postgres()).savedSetIdentitiesPostgres(name);
  const row = (await getReader()).prepare(`SELECT "identities" FROM "SavedSet" WHERE "name" = ?`).get(name) as { identities: Uint8Array } | undefined;
  return row?.identities ?? null;
}

/**
 * One stored format of a set: its manifest and its deflated chunks in order. One query, so
 * the chunks are one snapshot even if the set is replaced meanwhile (they are deflated: a
 * fraction of the export's size).
 */
export async function savedSetFile(setId: number, format: string): Promise<{ manifest: string; chunks: Uint8Array[] } | null> {
  if (onPostgres()) return (await postgres()).savedSetFilePostgres(setId, format);
  const db = await getReader();
  const file = db.prepare(`SELECT "manifest" FROM "SavedSetFile" WHERE "setId" = ? AND "format" = ?`).get(setId, format) as { manifest: string } | undefined;
  if (!file) return null;
  const chunks = db.prepare(`SELECT "data" FROM "SavedSetChunk" WHERE "setId" = ? AND "format" = ? ORDER BY "seq"`).pluck().all(setId, format) as Uint8Array[];
  return { manifest: file.manifest, chunks };
}
