import type { ArgScalarType, SqlQueryable } from "@prisma/driver-adapter-utils";
import { DatabaseBusyError } from "./errors";
import { numbered } from "./postgres-pool";

/**
 * Plain SQL through a Prisma driver adapter: lib/db's queries go this way (run writes have
 * their own path, see write-run.ts). The first query through PrismaClient costs 0.3-0.6 s of
 * query-compiler start-up here, which every CLI command would pay, and loading samples ran
 * ~2x slower through its query layer. SQL is written for SQLite with "quoted" identifiers;
 * PostgreSQL needs $n placeholders.
 */
export type Arg = readonly [value: unknown, type: ArgScalarType];

function toQuery(conn: SqlQueryable, sql: string, args: readonly Arg[]) {
  return {
    // PostgreSQL numbers its placeholders; lib/db's SQL uses "?" and no literal question marks.
    sql: conn.provider === "postgres" ? numbered(sql) : sql,
    args: args.map((a) => a[0]),
    argTypes: args.map((a) => ({ scalarType: a[1], arity: "scalar" as const })),
  };
}

export async function queryRows(conn: SqlQueryable, sql: string, args: readonly Arg[] = []): Promise<unknown[][]> {
  return (await conn.queryRaw(toQuery(conn, sql, args))).rows;
}

export function execute(conn: SqlQueryable, sql: string, args: readonly Arg[] = []): Promise<number> {
  return conn.executeRaw(toQuery(conn, sql, args));
}

/** SQLite hands BOOLEAN columns back as 0/1. */
export function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === "1";
}

/** DateTime columns: ISO text as the adapter writes it, epoch ms, or SQLite's CURRENT_TIMESTAMP text. */
export function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  const text = String(value);
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(" ", "T")}Z` : text);
}

/** A time as the text Prisma's SQLite adapter writes for a DateTime, so PrismaClient reads it back. */
export function storedDate(d: Date): string {
  return new Date(d).toISOString().replace("Z", "+00:00");
}

/** Now, as storedDate writes it. */
export function storedNow(): string {
  return storedDate(new Date());
}

interface AdapterErrorCause {
  kind?: string;
  originalMessage?: string;
  message?: string;
}

/** The driver adapter's error kind, e.g. "UniqueConstraintViolation". */
export function adapterErrorKind(error: unknown): string | undefined {
  return (error as { cause?: AdapterErrorCause })?.cause?.kind;
}

/** The database's own message behind a driver adapter error. */
export function adapterErrorMessage(error: unknown): string {
  const cause = (error as { cause?: AdapterErrorCause })?.cause;
  return cause?.originalMessage ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * A driver adapter error as a plain Error carrying the database's own words; a lock held
 * too long by another writer (SQLite BUSY) says so.
 */
export function describeDbError(error: unknown, action: string): Error {
  if (adapterErrorKind(error) === "SocketTimeout" || (error as { code?: string })?.code?.startsWith("SQLITE_BUSY")) {
    return new DatabaseBusyError(action, { cause: error });
  }
  if (!(error as { cause?: unknown })?.cause || !adapterErrorKind(error)) return error instanceof Error ? error : new Error(String(error));
  return new Error(`${action}: ${adapterErrorMessage(error)}`, { cause: error });
}
