import type { Database } from "better-sqlite3";
import type { StepBlock } from "../lim/run-columns";
import { ExampleBlockWriter } from "./example-blocks";
import { DatasetBlockWriter } from "./dataset-blocks";
import { SampleBlockWriter } from "./sample-blocks";
import { StepBlockInserter } from "./step-blocks";
import type { DatasetRowRecord, ExampleColumns, NewExample, RunWriter, SampleRecord } from "./types";

/**
 * RunWriter over one better-sqlite3 connection inside an open transaction. Everything is
 * written in blocks (steps, prompts, dataset rows, examples), each buffered up to a bounded
 * size and inserted as one row.
 */
export class SqliteRunWriter implements RunWriter {
  private closed = false;
  private readonly datasetRows: DatasetBlockWriter;
  private readonly samples: SampleBlockWriter;
  private readonly steps: StepBlockInserter;
  private readonly examples: ExampleBlockWriter;

  constructor(
    private readonly db: Database,
    private readonly runId: number,
    private readonly runName: string,
  ) {
    this.datasetRows = new DatasetBlockWriter(db, runId);
    this.samples = new SampleBlockWriter(db, runId);
    this.steps = new StepBlockInserter(db, runId);
    this.examples = new ExampleBlockWriter(db, runId);
  }

  async addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void> {
    this.each("addDatasetRows", rows, (r) => this.datasetRows.add(r));
  }

  async addSamples(rows: readonly SampleRecord[]): Promise<void> {
    this.each("addSamples", rows, (s) => this.samples.add(s));
  }

  async addStepBlocks(blocks: readonly StepBlock[]): Promise<void> {
    this.each("addStepBlocks", blocks, (b) => this.steps.add(b));
  }

  async addExamples(rows: readonly NewExample[]): Promise<void> {
    this.each("addExamples", rows, (e) => this.examples.add(e));
  }

  async addExampleColumns(c: ExampleColumns): Promise<void> {
    this.checkOpen("addExampleColumns");
    let i = 0;
    try {
      for (; i < c.length; i++) this.examples.addColumn(c, i);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": addExampleColumns failed at element ${i} of ${c.length}: ${reason}`, { cause: error });
    }
  }

  async flushExamples(): Promise<void> {
    this.each("flushExamples", [null], () => this.examples.flush());
  }

  /** Writes what is still buffered, once fill has returned. */
  finish(): void {
    this.each("writing the last examples", [null], () => this.examples.flush());
    this.each("writing the last prompts", [null], () => this.samples.flush());
    this.each("writing the last dataset rows", [null], () => this.datasetRows.flush());
    this.steps.checkOrdinals(this.samples.next, `writing run "${this.runName}"`);
  }

  /** After fill returns, the transaction is over: a kept writer must not write outside it. */
  close(): void {
    this.closed = true;
  }

  private checkOpen(what: string): void {
    if (this.closed) throw new Error(`${what} called after run "${this.runName}" was written; await every write inside fill`);
  }

  private each<T>(what: string, rows: readonly T[], insert: (row: T) => void): void {
    this.checkOpen(what);
    let i = 0;
    try {
      for (; i < rows.length; i++) insert(rows[i]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": ${what} failed at element ${i} of ${rows.length}: ${reason}`, { cause: error });
    }
  }
}
