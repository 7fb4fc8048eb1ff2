import { encodePromptKeys, hashBytes, PromptKeyTable, type PromptKeys } from "../scan/prompt-keys";
import type { DatasetRow } from "./dataset-rows";

/** Where a prompt (or an id) first appears in the dataset, and how many rows hold it. */
export interface DatasetEntry {
  first: number;
  count: number;
  /** The first row's trimmed prompt. */
  prompt: string;
}

/**
 * Which dataset rows hold which prompt, and which id: the join between a log and its training set.
 *
 * Prompts are held as UTF-8 in one byte table (PromptKeyTable, the table the run's own keys
 * live in) with their first row and row count in typed arrays by entry: no string or object
 * per row stays on the heap. A string and an object per row (a million of each at a million
 * prompts) were walked by every full garbage collection of the join and doubled its memory.
 * The log's keys, UTF-8 already, are looked up as bytes (entryOfBytes); a prompt becomes text
 * only when it is stored or learned from. A prompt UTF-8 cannot spell (a lone surrogate) is
 * kept as a string aside, so a lookup by text matches exactly what a Map of strings matched.
 *
 * Given the run's own key table (a one-shot ingest reads the dataset after the log), a
 * prompt the run already holds is not copied: its entry refers to the run's key by ordinal,
 * and only prompts the log never wrote get bytes of their own. At a million prompts the copy
 * was a second ~200 MB table of the same texts, most of the dataset phase's memory.
 */
export class DatasetIndex {
  rows = 0;
  /** Rows by id, when prompts are identified by id. */
  readonly byId = new Map<string, DatasetEntry>();
  private readonly table = new PromptKeyTable();
  /** By entry: first row, rows, and where its bytes are: the own table's ordinal, -1 for an odd prompt, or -(run ordinal + 2). */
  private first = new Int32Array(1024);
  private count = new Int32Array(1024);
  private tableOrdinal = new Int32Array(1024);
  /** Entry by the table's ordinal. */
  private entryOfTable = new Int32Array(1024);
  /** Entry by the run's ordinal (-1: none), when the run's keys are shared. */
  private readonly entryOfRun: Int32Array;
  private entries = 0;
  private readonly odd = new Map<string, number>();
  private readonly oddText = new Map<number, string>();
  private scratch = Buffer.allocUnsafeSlow(4096);

  /** @param runKeys the run's prompt keys, read only and never added to while the index is used. */
  constructor(private readonly runKeys?: PromptKeyTable) {
    this.entryOfRun = new Int32Array(runKeys?.size ?? 0).fill(-1);
  }

  add(rows: readonly DatasetRow[]): void {
    const plain: DatasetRow[] = [];
    for (const r of rows) {
      if (isWellFormed(r.prompt)) plain.push(r);
      else {
        // In file order with the rest: a row's entry is made when its prompt is first seen.
        this.addPlain(plain.splice(0));
        this.rows++;
        const e = this.odd.get(r.prompt);
        if (e !== undefined) this.count[e]++;
        else {
          const n = this.newEntry(r.rowIndex, -1);
          this.odd.set(r.prompt, n);
          this.oddText.set(n, r.prompt);
        }
      }
      if (r.id !== undefined) count(this.byId, r.id, r);
    }
    this.addPlain(plain);
  }

  private addPlain(rows: readonly DatasetRow[]): void {
    if (rows.length === 0) return;
    const keys = encodePromptKeys(rows.map((r) => r.prompt));
    for (let i = 0; i < rows.length; i++) {
      this.rows++;
      if (this.runKeys && this.addShared(keys, i, rows[i].rowIndex)) continue;
      const o = this.table.ordinalOf(keys, keys.bytes, i);
      if (o >= 0) this.count[this.entryOfTable[o]]++;
      else {
        const t = -o - 1;
        if (t >= this.entryOfTable.length) this.entryOfTable = grown(this.entryOfTable, new Int32Array(2 * this.entryOfTable.length));
        this.entryOfTable[t] = this.newEntry(rows[i].rowIndex, t);
      }
    }
  }

  /** Counts keys[i] against the run's key it equals, if any; false when the run has no such key. */
  private addShared(keys: PromptKeys, i: number, rowIndex: number): boolean {
    const r = this.runKeys!.find(keys.bytes, i === 0 ? 0 : keys.ends[i - 1], keys.ends[i], keys.hash[i]);
    if (r < 0) return false;
    const e = this.entryOfRun[r];
    if (e >= 0) this.count[e]++;
    else this.entryOfRun[r] = this.newEntry(rowIndex, -r - 2);
    return true;
  }

  private newEntry(firstRow: number, tableOrdinal: number): number {
    const e = this.entries++;
    if (e === this.first.length) {
      const n = 2 * e;
      this.first = grown(this.first, new Int32Array(n));
      this.count = grown(this.count, new Int32Array(n));
      this.tableOrdinal = grown(this.tableOrdinal, new Int32Array(n));
    }
    this.first[e] = firstRow;
    this.count[e] = 1;
    this.tableOrdinal[e] = tableOrdinal;
    return e;
  }

  /** Distinct prompts. */
  get prompts(): number {
    return this.entries;
  }

  /** The entry of a trimmed prompt, or -1. */
  entryOf(prompt: string): number {
    if (!isWellFormed(prompt)) return this.odd.get(prompt) ?? -1;
    if (3 * prompt.length > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(3 * prompt.length);
    const n = this.scratch.write(prompt, 0, "utf8");
    return this.entryOfBytes(this.scratch, 0, n, hashBytes(this.scratch, 0, n));
  }

  /** The entry of a trimmed prompt given as UTF-8, bytes[start, end) with its hashBytes, or -1. */
  entryOfBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const t = this.table.find(bytes, start, end, hash);
    if (t >= 0) return this.entryOfTable[t];
    const r = this.runKeys ? this.runKeys.find(bytes, start, end, hash) : -1;
    return r < 0 ? -1 : this.entryOfRun[r];
  }

  /**
   * The entry of the run's key `ordinal` when the run's keys are shared (no lookup: the
   * entry was noted as the dataset was read), else undefined.
   */
  entryOfRunKey(ordinal: number): number | undefined {
    return this.runKeys ? this.entryOfRun[ordinal] : undefined;
  }

  /** Row index of an entry's first row. */
  firstRowOf(entry: number): number {
    return this.first[entry];
  }

  /** An entry's prompt, as text. */
  promptOf(entry: number): string {
    const t = this.tableOrdinal[entry];
    if (t >= 0) return this.table.key(t);
    return t === -1 ? this.oddText.get(entry)! : this.runKeys!.key(-t - 2);
  }

  has(prompt: string): boolean {
    return this.entryOf(prompt) >= 0;
  }

  /** Row index of the first row with this prompt, or null. */
  firstRow(prompt: string): number | null {
    const e = this.entryOf(prompt);
    return e < 0 ? null : this.first[e];
  }

  /** Every distinct prompt, as text, in order of first appearance. */
  questions(): string[] {
    return Array.from({ length: this.entries }, (_, e) => this.promptOf(e));
  }

  /** Rows (every repeat counts) whose prompt is not `seen`. */
  unseenRows(seen: (prompt: string) => boolean): number {
    let n = 0;
    for (let e = 0; e < this.entries; e++) if (!seen(this.promptOf(e))) n += this.count[e];
    return n;
  }

  /** Rows (every repeat counts) of the entries not marked in `matched` (by entry). */
  unseenRowsExcept(matched: Uint8Array): number {
    let n = 0;
    for (let e = 0; e < this.entries; e++) if (!matched[e]) n += this.count[e];
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

function grown<T extends Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** No lone surrogate: UTF-8 spells the text, and two texts apart stay apart. */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return false;
    const d = s.charCodeAt(++i);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
  }
  return true;
}
