import type { DatasetRowRecord } from "../db/types";

/** Which dataset rows hold which prompt: the join between a log and its training set. */
export class DatasetIndex {
  rows = 0;
  private byPrompt = new Map<string, { first: number; count: number }>();

  add(rows: readonly DatasetRowRecord[]): void {
    for (const r of rows) {
      this.rows++;
      const e = this.byPrompt.get(r.prompt);
      if (e) e.count++;
      else this.byPrompt.set(r.prompt, { first: r.rowIndex, count: 1 });
    }
  }

  /** Row index of the first row with this prompt, or null. */
  firstRow(prompt: string): number | null {
    return this.byPrompt.get(prompt)?.first ?? null;
  }

  /** Rows (every repeat counts) whose prompt the log never saw. */
  unseenRows(seen: (prompt: string) => boolean): number {
    let n = 0;
    for (const [prompt, e] of this.byPrompt) if (!seen(prompt)) n += e.count;
    return n;
  }
}
