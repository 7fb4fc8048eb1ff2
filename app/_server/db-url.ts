import { databaseUrl } from "../../lib/db";

/** The database the app reads, for error pages: never throws (a bad URL is the error shown). */
export function safeDatabaseUrl(): string {
  try {
    return databaseUrl();
  } catch {
    return process.env.DATABASE_URL ?? "file:./data/lim.db";
  }
}
