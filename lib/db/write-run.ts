import type { SqlQueryable, Transaction } from "@prisma/driver-adapter-utils";
import { BulkInsert } from "./bulk-insert";
import { adapterFactory, databaseUrl, WRITER_BUSY_TIMEOUT_MS } from "./client";
import { ensureMigrated } from "./connection";
import { RunExistsError } from "./errors";
import { promptHash } from "./prompt-hash";
import { RUN_FIELDS, runFieldValue } from "./run-record";
import { getRunById } from "./runs";
import { adapterErrorKind, describeDbError, execute, queryRows, type Arg } from "./sql";
import type { DatasetRowRecord, ExampleRecord, NewRun, RunRecord, RunWriter, SampleRecord } from "./types";

export type FillRun = (writer: RunWriter) => Promise<Partial<NewRun> | void>;

/**
 * Writes a run and all its rows in ONE transaction: any throw rolls everything back, and a
 * killed process leaves only an uncommitted WAL tail that SQLite discards on the next open.
 * With `replace`, the old run of that name is deleted inside the same transaction, so it
 * survives any failure.
 *
 * The transaction runs on its own driver-adapter connection (Prisma's adapter, below its
 * query layer): other queries of this process use another connection and keep seeing only
 * committed runs, and bulk rows skip the query layer (see bulk-insert.ts).
 */
export async function writeRun(run: NewRun, fill: FillRun, opts: { replace?: boolean } = {}): Promise<RunRecord> {
  const columns = runColumns(run); // bad fields fail before anything is opened
  // One writer at a time per process: a second connection waiting for SQLite's write lock
  // would block the event loop the first one needs to finish.
  const turn = writeQueue.then(() => writeRunNow(run, columns, fill, opts));
  writeQueue = turn.catch(() => {});
  return turn;
}

let writeQueue: Promise<unknown> = Promise.resolve();

async function writeRunNow(run: NewRun, columns: [string, Arg][], fill: FillRun, opts: { replace?: boolean }): Promise<RunRecord> {
  const url = databaseUrl();
  await ensureMigrated(url);
  const adapter = await adapterFactory(url, WRITER_BUSY_TIMEOUT_MS).connect();
  try {
    const tx = await adapter.startTransaction();
    let open = true;
    try {
      // Write first: the connection takes SQLite's write lock now (waiting busy_timeout for
      // another writer) and the unique name index is the existence check, race-free.
      if (opts.replace) {
        await execute(tx, `DELETE FROM "Run" WHERE "name" = ?`, [[run.name, "string"]]).catch((e) => {
          throw describeDbError(e, `replacing run "${run.name}"`);
        });
      }
      const runId = await insertRun(tx, run.name, columns);
      const writer = new TxRunWriter(tx, runId, run.name);
      let totals: Partial<NewRun> | void;
      try {
        totals = await fill(writer);
      } finally {
        writer.close(); // a writer kept past fill must not write outside the transaction
      }
      if (totals) await updateRun(tx, runId, runColumns({ ...run, ...totals, name: run.name }));
      await execute(tx, "COMMIT");
      open = false;
      await tx.commit();
      return (await getRunById(adapter, runId))!;
    } catch (error) {
      if (open) {
        await execute(tx, "ROLLBACK").catch(() => {}); // SQLite may have ended it already
        await tx.rollback();
      }
      throw error;
    }
  } finally {
    await adapter.dispose();
  }
}

/** [column, value] for every run field, validated. */
function runColumns(run: NewRun): [string, Arg][] {
  return RUN_FIELDS.map(([field, type, check]) => [field, [runFieldValue(run, field, check), type]]);
}

async function insertRun(tx: Transaction, name: string, cols: [string, Arg][]): Promise<number> {
  const names = [...cols.map((c) => c[0]), "createdAt"].map((n) => `"${n}"`);
  const sql = `INSERT INTO "Run" (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING "id"`;
  try {
    const rows = await queryRows(tx, sql, [...cols.map((c) => c[1]), [new Date(), "datetime"]]);
    return Number(rows[0][0]);
  } catch (error) {
    if (adapterErrorKind(error) === "UniqueConstraintViolation") throw new RunExistsError(name);
    throw describeDbError(error, `writing run "${name}"`);
  }
}

async function updateRun(tx: Transaction, runId: number, cols: [string, Arg][]): Promise<void> {
  const sets = cols.filter((c) => c[0] !== "name");
  const sql = `UPDATE "Run" SET ${sets.map((c) => `"${c[0]}" = ?`).join(", ")} WHERE "id" = ?`;
  await execute(tx, sql, [...sets.map((c) => c[1]), [runId, "int"]]);
}

const samples = new BulkInsert<SampleRecord, number>(
  "Sample",
  [
    { name: "runId", type: "int" },
    { name: "ordinal", type: "int" },
    { name: "prompt", type: "string" },
    { name: "promptHash", type: "string" },
    { name: "steps", type: "bytes" },
    { name: "rolloutCount", type: "int" },
    { name: "publishedScore", type: "float" },
    { name: "datasetRowIndex", type: "int" },
  ],
  (s, a, runId) =>
    a.push(runId, s.ordinal, s.prompt, promptHash(s.prompt), asBuffer(s.steps), s.rolloutCount, s.publishedScore, s.datasetRowIndex),
);

const datasetRows = new BulkInsert<DatasetRowRecord, number>(
  "DatasetRow",
  [
    { name: "runId", type: "int" },
    { name: "rowIndex", type: "int" },
    { name: "prompt", type: "string" },
    { name: "promptHash", type: "string" },
    { name: "json", type: "string" },
  ],
  (r, a, runId) => a.push(runId, r.rowIndex, r.prompt, promptHash(r.prompt), r.json),
);

const examples = new BulkInsert<ExampleRecord, number>(
  "Example",
  [
    { name: "runId", type: "int" },
    { name: "sampleOrdinal", type: "int" },
    { name: "step", type: "int" },
    { name: "epoch", type: "int" },
    { name: "reward", type: "float" },
    { name: "success", type: "boolean" },
    { name: "responseLength", type: "int" },
    { name: "response", type: "string" },
  ],
  (e, a, runId) => a.push(runId, e.sampleOrdinal, e.step, e.epoch, e.reward, e.success, e.responseLength, e.response),
);

class TxRunWriter implements RunWriter {
  private closed = false;
  constructor(
    private readonly tx: SqlQueryable,
    private readonly runId: number,
    private readonly runName: string,
  ) {}

  addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void> {
    return this.write("addDatasetRows", () => datasetRows.insert(this.tx, rows, this.runId));
  }

  addSamples(rows: readonly SampleRecord[]): Promise<void> {
    return this.write("addSamples", () => samples.insert(this.tx, rows, this.runId));
  }

  addExamples(rows: readonly ExampleRecord[]): Promise<void> {
    return this.write("addExamples", () => examples.insert(this.tx, rows, this.runId));
  }

  close(): void {
    this.closed = true;
  }

  private async write(what: string, run: () => Promise<void>): Promise<void> {
    if (this.closed) throw new Error(`${what} called after run "${this.runName}" was written; await every write inside fill`);
    try {
      await run();
    } catch (error) {
      throw describeDbError(error, `writing run "${this.runName}": ${what} failed`);
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("SampleRecord.steps must be a Uint8Array");
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
