import type { Database } from "better-sqlite3";
import type { StepBlock } from "../lim/run-columns";
import { ThreadPoolDeflater } from "./block-deflate";
import { ExampleBlockWriter } from "./example-blocks";
import { DatasetBlockWriter } from "./dataset-blocks";
import { SampleBlockWriter } from "./sample-blocks";
import { StepBlockInserter } from "./step-blocks";
import type { DatasetRowRecord, ExampleColumns, NewExample, RunWriter, SampleRecord } from "./types";

/**
 * RunWriter over one better-sqlite3 connection inside an open transaction. Everything is
 * written in blocks (steps, prompts, dataset rows, examples), each buffered up to a bounded
 * size and inserted as one row. Prompts' and dataset rows' blocks are deflated on zlib's
 * thread pool and inserted in the order they were made (block-deflate.ts); finish() inserts
 * the last ones.
 */
export class SqliteRunWriter implements RunWriter {
  private closed = false;
  private readonly datasetRows: DatasetBlockWriter;
  private readonly samples: SampleBlockWriter;
  private readonly steps: StepBlockInserter;
  private readonly examples: ExampleBlockWriter;
  private readonly deflater = new ThreadPoolDeflater();

  constructor(
    private readonly db: Database,
    private readonly runId: number,
    private readonly runName: string,
  ) {
    this.datasetRows = new DatasetBlockWriter(db, runId, this.deflater);
    this.samples = new SampleBlockWriter(db, runId, this.deflater);
    this.steps = new StepBlockInserter(db, runId);
    // In place: a million-prompt run's example blocks are a few KB each, LIMR-scale ones
    // came out slower on the pool (the scan threads keep both cores busy then).
    this.examples = new ExampleBlockWriter(db, runId);
  }

  async addDatasetRows(rows: readonly DatasetRowRecord[]): Promise<void> {
    await this.each("addDatasetRows", rows, (r) => this.datasetRows.add(r));
  }

  async addSamples(rows: readonly SampleRecord[]): Promise<void> {
    await this.each("addSamples", rows, (s) => this.samples.add(s));
  }

  async addStepBlocks(blocks: readonly StepBlock[]): Promise<void> {
    await this.each("addStepBlocks", blocks, (b) => this.steps.add(b));
  }

  async addExamples(rows: readonly NewExample[]): Promise<void> {
    await this.each("addExamples", rows, (e) => this.examples.add(e));
  }

  async addExampleColumns(c: ExampleColumns): Promise<void> {
    this.checkOpen("addExampleColumns");
    let i = 0;
    try {
      for (; i < c.length; i++) {
        this.examples.addColumn(c, i);
        if (this.deflater.full) await this.deflater.settle();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": addExampleColumns failed at element ${i} of ${c.length}: ${reason}`, { cause: error });
    }
  }

  async flushExamples(): Promise<void> {
    await this.each("flushExamples", [null], () => this.examples.flush());
  }

  /** Writes what is still buffered, once fill has returned. */
  async finish(): Promise<void> {
    await this.each("writing the last examples", [null], () => this.examples.flush());
    await this.each("writing the last prompts", [null], () => this.samples.flush());
    await this.each("writing the last dataset rows", [null], () => this.datasetRows.flush());
    this.checkOpen("writing the last blocks");
    try {
      await this.deflater.settle(true);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": writing the last blocks failed: ${reason}`, { cause: error });
    }
    this.steps.checkOrdinals(this.samples.next, `writing run "${this.runName}"`);
  }

  /** After fill returns, the transaction is over: a kept writer must not write outside it. */
  close(): void {
    this.closed = true;
  }

  private checkOpen(what: string): void {
    if (this.closed) throw new Error(`${what} called after run "${this.runName}" was written; await every write inside fill`);
  }

  private async each<T>(what: string, rows: readonly T[], insert: (row: T) => void): Promise<void> {
    this.checkOpen(what);
    let i = 0;
    try {
      for (; i < rows.length; i++) {
        insert(rows[i]);
        // Blocks made so far are inserted before more wait than a few: memory stays bounded.
        if (this.deflater.full) await this.deflater.settle();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`writing run "${this.runName}": ${what} failed at element ${i} of ${rows.length}: ${reason}`, { cause: error });
    }
  }
}
