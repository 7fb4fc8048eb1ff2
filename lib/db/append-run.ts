import type { Database, Statement } from "better-sqlite3";
import { RUN_FIELDS, RUN_SELECT, runFieldValue, toRunRecord } from "./run-record";
import { SqliteRunWriter } from "./sqlite-run-writer";
import type { NewRun, RunRecord, RunWriter } from "./types";
import { inWriteTransaction, storedNow } from "./write-run";

/** New per-step records for an existing sample: steps after every step its blob already holds. */
export interface StepAppend {
  ordinal: number;
  /** encodeStepAggregates(...) of the new steps only. */
  steps: Uint8Array;
  /** Rollouts in those steps. */
  rolloutCount: number;
}

/** Adds rows to a stored run inside one transaction (see appendRun). */
export interface RunAppender extends RunWriter {
  /** Appends step records to existing samples' packed steps blobs. */
  appendSteps(rows: readonly StepAppend[]): Promise<void>;
}

/** Gets the run as last committed; returns the run fields that change (counts, lastStep, live, ...). */
export type FillAppend = (appender: RunAppender, run: RunRecord) => Promise<Partial<NewRun> | void>;

/**
 * Adds to an existing run in ONE transaction: new samples, steps appended to existing
 * samples, examples, and the run's changed fields, with updatedAt set to now. A throw or a
 * kill leaves the run exactly as the previous commit left it. This is how a watched run
 * (`lim ingest --watch`) grows while the web app keeps reading committed data only.
 *
 * A sample's steps blob is a sequence of per-step records in step order
 * (lib/lim/step-aggregates.ts), so appending the new steps' bytes gives exactly the blob a
 * one-shot ingest of all the steps writes; the caller must append only steps after the
 * run's lastStep.
 */
export async function appendRun(name: string, fill: FillAppend): Promise<RunRecord> {
  return inWriteTransaction(`appending to run "${name}"`, async (db) => {
    const row = db.prepare(`SELECT ${RUN_SELECT} FROM "Run" WHERE "name" = ?`).raw().get(name) as unknown[] | undefined;
    if (!row) throw new Error(`no run named "${name}" to append to (it was deleted?)`);
    const run = toRunRecord(row);
    const appender = new SqliteRunAppender(db, run.id, name);
    let changes: Partial<NewRun> | void;
    try {
      changes = await fill(appender, run);
    } finally {
      appender.close();
    }
    updateRun(db, run, changes ?? {});
    return run.id;
  });
}

/** Writes the changed fields (validated like writeRun's, errors name the field) and updatedAt. */
function updateRun(db: Database, run: RunRecord, changes: Partial<NewRun>): void {
  if ("name" in changes && changes.name !== run.name) throw new TypeError(`run "${run.name}": an append cannot rename the run`);
  const merged = { ...run, ...changes } as NewRun;
  const fields = RUN_FIELDS.filter(([field]) => field !== "name" && field in changes);
  const sets = [...fields.map(([field]) => `"${field}" = ?`), `"updatedAt" = ?`];
  const values = fields.map(([field, check]) => runFieldValue(merged, field, check));
  db.prepare(`UPDATE "Run" SET ${sets.join(", ")} WHERE "id" = ?`).run(...values, storedNow(), run.id);
}

class SqliteRunAppender extends SqliteRunWriter implements RunAppender {
  private readonly append: Statement;
  private done = false;

  constructor(
    db: Database,
    private readonly id: number,
    private readonly label: string,
  ) {
    super(db, id, label);
    // Blob concatenation in SQL: the stored bytes never travel to JS and back. SQLite's ||
    // joins a BLOB's bytes as they are (append-run.test.ts checks bytes that are not UTF-8).
    this.append = db.prepare(`UPDATE "Sample" SET "steps" = CAST("steps" || ? AS BLOB), "rolloutCount" = "rolloutCount" + ? WHERE "runId" = ? AND "ordinal" = ?`);
  }

  async appendSteps(rows: readonly StepAppend[]): Promise<void> {
    if (this.done) throw new Error(`appendSteps called after the append to run "${this.label}" ended; await every write inside fill`);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!(r.steps instanceof Uint8Array)) throw new TypeError(`appending to run "${this.label}": element ${i}: steps must be a Uint8Array`);
      const bytes = Buffer.isBuffer(r.steps) ? r.steps : Buffer.from(r.steps.buffer, r.steps.byteOffset, r.steps.byteLength);
      const changed = this.append.run(bytes, r.rolloutCount, this.id, r.ordinal).changes;
      if (changed !== 1) throw new Error(`appending to run "${this.label}": element ${i}: the run has no sample with ordinal ${r.ordinal}`);
    }
  }

  override close(): void {
    this.done = true;
    super.close();
  }
}
