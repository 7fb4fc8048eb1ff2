import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The database file as a user sees it: its folder is created on first use, and anything
 * that stops SQLite from using it becomes one error naming the file and the reason.
 */
export class DatabaseFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "DatabaseFileError";
    this.file = file;
  }
}

/**
 * Creates the folder that will hold `file`. Not mkdirSync(..., { recursive: true }): on
 * Node 20 it loops forever, at 100% CPU, when mkdir answers ENOENT for a folder whose parent
 * exists (any path under /proc, for one). This walks up at most once per path level.
 */
export function ensureFolderFor(file: string): void {
  const dir = path.dirname(file);
  try {
    makeFolder(dir);
  } catch (error) {
    const folder = (error as NodeJS.ErrnoException).path ?? dir;
    throw new DatabaseFileError(file, `cannot create the folder ${folder} for the database ${file}: ${reasonOf(error)}`, error);
  }
}

function makeFolder(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error("it is a file"), { code: "ENOTDIR", path: dir });
      return;
    }
    const parent = path.dirname(dir);
    if (code !== "ENOENT" || parent === dir) throw error;
    makeFolder(parent);
    mkdirSync(dir); // the parent exists now: a second ENOENT is final, and says why
  }
}

/**
 * An error SQLite raised while opening or first reading `file`, as a DatabaseFileError that
 * says what is wrong with the file. Errors that are not about the file pass through.
 */
export function describeFileError(file: string, error: unknown): Error {
  if (error instanceof DatabaseFileError) return error;
  const code = sqliteCode(error);
  const said = sqliteMessage(error);
  switch (/^SQLITE_([A-Z]+)/.exec(code ?? "")?.[1]) {
    case "NOTADB":
      return new DatabaseFileError(file, `${file} is not a SQLite database (SQLite: "${said}"; point DATABASE_URL at a LIM Studio database, or at a new file to create one)`, error);
    case "CORRUPT":
      return new DatabaseFileError(file, `${file} is a damaged SQLite database (SQLite: "${said}")`, error);
    case "CANTOPEN":
    case "PERM":
    case "READONLY":
    case "IOERR":
      return new DatabaseFileError(file, `cannot open the database ${file}: ${whyNotUsable(file) ?? said} (SQLite: "${said}")`, error);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/** What the file system says about using `file` read-write, or null when it sees no problem. */
function whyNotUsable(file: string): string | null {
  try {
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) return "it is a folder, not a file";
      accessSync(file, constants.R_OK | constants.W_OK);
    } else {
      accessSync(path.dirname(file), constants.W_OK | constants.X_OK);
    }
    return null;
  } catch (error) {
    return reasonOf(error);
  }
}

/** better-sqlite3 puts SQLite's code on the error; the Prisma adapter on error.cause. */
function sqliteCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  const code = typeof e?.code === "string" ? e.code : e?.cause?.originalCode;
  return typeof code === "string" ? code : undefined;
}

function sqliteMessage(error: unknown): string {
  const e = error as { cause?: { originalMessage?: unknown } } | null;
  if (typeof e?.cause?.originalMessage === "string") return e.cause.originalMessage;
  return error instanceof Error ? error.message : String(error);
}

/** "ENOENT: no such file or directory" without the syscall and path Node appends. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, \w+ '[^']*'$/, "");
}
