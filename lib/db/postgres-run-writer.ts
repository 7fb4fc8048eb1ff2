import type { Database } from "better-sqlite3";
import type { PoolClient } from "pg";
import type { StepBlock } from "../lim/run-columns";
import { numbered } from "./postgres-pool";
import { SqliteRunWriter } from "./sqlite-run-writer";
import type { DatasetRowRecord, ExampleColumns, NewExample, RunWriter, SampleRecord } from "./types";

/**
 * RunWriter on PostgreSQL inside an open transaction, with the very block writers SQLite
 * uses (so blocks, their bytes and every check are the same on both): they are handed a
 * stand-in for their better-sqlite3 connection (BlockRows) that queues each block row they
 * insert, and the queue goes to PostgreSQL as multi-row INSERTs with bytea parameters, a few
 * MB at a time.
 *
 * The block writers also read where the run's blocks stand when they start (the next seq, the
 * sample count, the last dataset row); create() learns which statements those are by building
 * the writers once against a stand-in that only records them, asks PostgreSQL, and builds the
 * real ones against the answers.
 */
export class PostgresRunWriter implements RunWriter {
  private constructor(
    private readonly rows: BlockRows,
    private readonly inner: SqliteRunWriter,
  ) {}

  static async create(tx: PoolClient, runId: number, runName: string): Promise<PostgresRunWriter> {
    const probe = new BlockRows(tx, null);
    new SqliteRunWriter(probe as unknown as Database, runId, runName);
    const answers = new Map<string, unknown[] | undefined>();
    for (const [sql, args] of probe.selects) {
      const result = await tx.query({ text: numbered(sql), values: args, rowMode: "array" });
      answers.set(sql, result.rows[0]);
    }
    const rows = new BlockRows(tx, answers);
    return new PostgresRunWriter(rows, new SqliteRunWriter(rows as unknown as Database, runId, runName));
  }

  async addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void> {
    await this.inner.addDatasetRows(rows);
    await this.rows.writeIfFull();
  }

  async addSamples(rows: readonly SampleRecord[]): Promise<void> {
    await this.inner.addSamples(rows);
    await this.rows.writeIfFull();
  }

  async addStepBlocks(blocks: readonly StepBlock[]): Promise<void> {
    await this.inner.addStepBlocks(blocks);
    await this.rows.writeIfFull();
  }

  async addExamples(rows: readonly NewExample[]): Promise<void> {
    await this.inner.addExamples(rows);
    await this.rows.writeIfFull();
  }

  async addExampleColumns(c: ExampleColumns): Promise<void> {
    await this.inner.addExampleColumns(c);
    await this.rows.writeIfFull();
  }

  async flushExamples(): Promise<void> {
    await this.inner.flushExamples();
    await this.rows.writeIfFull();
  }

  /** Writes what is still buffered, once fill has returned; checks as SQLite's writer does. */
  async finish(): Promise<void> {
    await this.inner.finish();
    await this.rows.writeAll();
  }

  close(): void {
    this.inner.close();
  }
}

/** Queued bytes (or rows) that send the queue to PostgreSQL: big statements, bounded memory. */
const QUEUE_BYTES = 8 * 1024 * 1024;
const QUEUE_ROWS = 2048;
/** PostgreSQL binds at most 65535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

type Row = unknown[];

/** The part of better-sqlite3's Database the block writers use, queueing INSERTs. */
class BlockRows {
  /** SELECTs the writers ran, in order (the probe), with their arguments. */
  readonly selects: [string, unknown[]][] = [];
  private readonly queued = new Map<string, Row[]>();
  private bytes = 0;
  private rows = 0;

  constructor(
    private readonly tx: PoolClient,
    private readonly answers: Map<string, unknown[] | undefined> | null,
  ) {}

  prepare(sql: string) {
    if (/^\s*INSERT\b/i.test(sql)) {
      return {
        run: (...args: unknown[]) => {
          let queue = this.queued.get(sql);
          if (!queue) this.queued.set(sql, (queue = []));
          queue.push(args);
          this.rows++;
          for (const a of args) this.bytes += a instanceof Uint8Array ? a.byteLength : typeof a === "string" ? a.length : 8;
        },
      };
    }
    let pluck = false;
    const statement = {
      raw: () => statement,
      pluck: () => ((pluck = true), statement),
      get: (...args: unknown[]) => {
        if (!this.answers) {
          this.selects.push([sql, args]);
          return pluck ? undefined : [0];
        }
        if (!this.answers.has(sql)) throw new Error(`PostgreSQL run writer: no answer read for ${sql}`);
        const row = this.answers.get(sql);
        return pluck ? row?.[0] : row;
      },
    };
    return statement;
  }

  async writeIfFull(): Promise<void> {
    if (this.bytes >= QUEUE_BYTES || this.rows >= QUEUE_ROWS) await this.writeAll();
  }

  /** Every queued row, one multi-row INSERT per table and batch, in the order queued per table. */
  async writeAll(): Promise<void> {
    for (const [sql, rows] of this.queued) {
      const head = sql.slice(0, sql.search(/\bVALUES\b/i) + "VALUES".length);
      const width = rows[0]?.length ?? 0;
      const per = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(width, 1)));
      for (let at = 0; at < rows.length; ) {
        const values: unknown[] = [];
        const tuples: string[] = [];
        let size = 0;
        for (; at < rows.length && tuples.length < per && (tuples.length === 0 || size < QUEUE_BYTES); at++) {
          const base = values.length;
          tuples.push(`(${rows[at].map((_, i) => `$${base + i + 1}`).join(", ")})`);
          for (const v of rows[at]) {
            values.push(v);
            size += v instanceof Uint8Array ? v.byteLength : 8;
          }
        }
        await this.tx.query(`${head} ${tuples.join(", ")}`, values);
      }
    }
    this.queued.clear();
    this.bytes = 0;
    this.rows = 0;
  }
}
