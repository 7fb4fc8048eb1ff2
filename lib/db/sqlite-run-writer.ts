import type { Database, Statement } from "better-sqlite3";
import type { StepBlock } from "../lim/run-columns";
import { ExampleBlockWriter } from "./example-blocks";
import { promptHash } from "./prompt-hash";
import { StepBlockInserter } from "./step-blocks";
import type { DatasetRowRecord, NewExample, RunWriter, SampleRecord } from "./types";

/**
 * RunWriter over one better-sqlite3 connection inside an open transaction. One cached
 * single-row statement per table: ~250k rows/s of 1.5 KB text here, bounded memory
 * (SQLite copies each row's values and clears them after the row).
 */
export class SqliteRunWriter implements RunWriter {
  private closed = false;
  private readonly datasetRow: Statement;
  private readonly sample: Statement;
  private readonly steps: StepBlockInserter;
  private readonly examples: ExampleBlockWriter;

  constructor(
    private readonly db: Database,
    private readonly runId: number,
    private readonly runName: string,
  ) {
    this.datasetRow = db.prepare(`INSERT INTO "DatasetRow" ("runId", "rowIndex", "prompt", "promptHash", "json") VALUES (?, ?, ?, ?, ?)`);
    this.sample = db.prepare(
      `INSERT INTO "Sample" ("runId", "ordinal", "prompt", "publishedScore", "datasetRowIndex") VALUES (?, ?, ?, ?, ?)`,
    );
    this.steps = new StepBlockInserter(db, runId);
    this.examples = new ExampleBlockWriter(db, runId);
  }

  async addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void> {
    this.each("addDatasetRows", rows, (r) => this.datasetRow.run(this.runId, r.rowIndex, r.prompt, promptHash(r.prompt), r.json));
  }

  async addSamples(rows: readonly SampleRecord[]): Promise<void> {
    this.each("addSamples", rows, (s) =>
      this.sample.run(this.runId, s.ordinal, s.prompt, s.publishedScore, s.datasetRowIndex),
    );
  }

  async addStepBlocks(blocks: readonly StepBlock[]): Promise<void> {
    this.each("addStepBlocks", blocks, (b) => this.steps.add(b));
  }

  async addExamples(rows: readonly NewExample[]): Promise<void> {
    this.each("addExamples", rows, (e) => this.examples.add(e));
  }

  async flushExamples(): Promise<void> {
    this.each("flushExamples", [null], () => this.examples.flush());
  }

  /** Writes what is still buffered, once fill has returned. */
  finish(): void {
    this.each("writing the last examples", [null], () => this.examples.flush());
    this.steps.checkOrdinals(this.db, `writing run "${this.runName}"`);
  }

  /** After fill returns, the transaction is over: a kept writer must not write outside it. */
  close(): void {
    this.closed = true;
  }

  private each<T>(what: string, rows: readonly T[], insert: (row: T) => void): void {
    if (this.closed) throw new Error(`${what} called after run "${this.runName}" was written; await every write inside fill`);
    let i = 0;
    try {
      for (; i < rows.length; i++) insert(rows[i]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": ${what} failed at element ${i} of ${rows.length}: ${reason}`, { cause: error });
    }
  }
}
