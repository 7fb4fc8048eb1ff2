import type { DatasetRow } from "./dataset-rows";

/** Where a prompt (or an id) first appears in the dataset, and how many rows hold it. */
export interface DatasetEntry {
  first: number;
  count: number;
  /** The first row's trimmed prompt. */
  prompt: string;
}

/** Which dataset rows hold which prompt, and which id: the join between a log and its training set. */
export class DatasetIndex {
  rows = 0;
  readonly byPrompt = new Map<string, DatasetEntry>();
  /** Rows by id, when prompts are identified by id. */
  readonly byId = new Map<string, DatasetEntry>();

  add(rows: readonly DatasetRow[]): void {
    for (const r of rows) {
      this.rows++;
      count(this.byPrompt, r.prompt, r);
      if (r.id !== undefined) count(this.byId, r.id, r);
    }
  }

  /** Row index of the first row with this prompt, or null. */
  firstRow(prompt: string): number | null {
    return this.byPrompt.get(prompt)?.first ?? null;
  }

  /** Rows (every repeat counts) whose prompt is not `seen`. */
  unseenRows(seen: (prompt: string) => boolean): number {
    let n = 0;
    for (const [prompt, e] of this.byPrompt) if (!seen(prompt)) n += e.count;
    return n;
  }

  /** Ids that more than one row carries. */
  repeatedIds(): number {
    let n = 0;
    for (const e of this.byId.values()) if (e.count > 1) n++;
    return n;
  }
}

function count(map: Map<string, DatasetEntry>, key: string, r: DatasetRow): void {
  const e = map.get(key);
  if (e) e.count++;
  else map.set(key, { first: r.rowIndex, count: 1, prompt: r.prompt });
}
