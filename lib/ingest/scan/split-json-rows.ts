import { constants, isUtf8 } from "node:buffer";
import { IngestError } from "../errors";
import { describeInvalidUtf8, firstInvalidUtf8, refuseWideEncoding, utf8BomLength } from "./text-rules";
import { fieldName, findStringFault } from "./json-fault";

/** One top-level row, minified: white space outside strings dropped, every other byte kept. */
export interface RawRow {
  rowIndex: number;
  /** 1-based line where the row starts. */
  line: number;
  /** Byte offset where the row starts. */
  offset: number;
  text: string;
}

const WS = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Splits a JSON array of objects, or JSON Lines, into rows as bytes arrive, so a dataset of
 * any size streams. The row's own text is kept (key order, number spelling and escapes
 * unchanged) because export must write the original rows, and JSON.stringify(JSON.parse(x))
 * would rewrite numbers like 1.0 and escapes like \u00e9.
 */
export class JsonRowSplitter {
  private mode: "unknown" | "array" | "lines" = "unknown";
  private state: "start" | "beforeRow" | "inRow" | "afterRow" | "done" = "start";
  private inString = false;
  private escape = false;
  private depth = 0;
  private parts: Buffer[] = [];
  private rowIndex = 0;
  private rowLine = 0;
  private rowOffset = 0;
  private line = 1;
  private offset = 0;
  private first = true;
  /** Bytes of the row being split, held in parts. */
  private held = 0;

  constructor(
    private readonly file: string,
    private readonly emit: (row: RawRow) => void,
    /** A step file: a JSON array only, never JSON Lines. */
    private readonly o: { arrayOnly?: boolean; unit?: "row" | "element"; limit?: number } = {},
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    if (this.first) {
      this.first = false;
      refuseWideEncoding(chunk, this.file);
      i = utf8BomLength(chunk);
    }
    const n = chunk.length;
    let seg = this.state === "inRow" ? i : -1;
    for (; i < n; i++) {
      const c = chunk[i];
      if (this.state === "inRow") {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (c === 0x5c) this.escape = true;
          else if (c === 0x22) this.inString = false;
          else if (c === 0x0a) this.line++;
          continue;
        }
        if (c === 0x22) this.inString = true;
        else if (WS(c)) {
          if (seg < i) this.parts.push(chunk.subarray(seg, i));
          seg = i + 1;
          if (c === 0x0a) {
            this.line++;
            if (this.mode === "lines") {
              this.endRow();
              seg = -1;
            }
          }
        } else if (this.mode === "array") {
          if (c === 0x7b || c === 0x5b) this.depth++;
          else if ((c === 0x7d || c === 0x5d) && --this.depth === 0) {
            this.parts.push(chunk.subarray(seg, i + 1));
            this.endRow();
            seg = -1;
          }
        }
        continue;
      }
      if (c === 0x0a) this.line++;
      if (WS(c)) continue;
      const at = this.offset + i;
      if (this.state === "start") {
        this.mode = c === 0x5b ? "array" : "lines";
        if (this.mode === "lines" && this.o.arrayOnly) this.fail(at, `expected a JSON array of rollouts, found ${JSON.stringify(String.fromCharCode(c))}`);
        if (this.mode === "array") {
          this.state = "beforeRow";
          continue;
        }
      }
      if (this.state === "beforeRow" && c === 0x5d && this.rowIndex === 0) this.state = "done";
      else if (this.state === "afterRow" && c === 0x2c) this.state = "beforeRow";
      else if (this.state === "afterRow" && c === 0x5d) this.state = "done";
      else if (this.state === "start" || this.state === "beforeRow") {
        if (this.mode === "array" && c !== 0x7b) this.fail(at, `expected an object, found ${JSON.stringify(String.fromCharCode(c))}`);
        this.state = "inRow";
        this.rowLine = this.line;
        this.rowOffset = at;
        this.depth = this.mode === "array" ? 1 : 0;
        this.inString = false;
        this.escape = false;
        seg = i;
      } else {
        const what = this.state === "done" ? "after the closing ]" : "after a row: expected ',' or ']'";
        this.fail(at, `malformed JSON ${what}, found ${JSON.stringify(String.fromCharCode(c))}`);
      }
    }
    if (this.state === "inRow" && seg >= 0 && seg < n) this.parts.push(Buffer.from(chunk.subarray(seg, n)));
    // A row must become one string: past V8's longest (~512 MB) say so, by row and size, and hold no more.
    if (this.state === "inRow") {
      this.held = 0;
      for (const p of this.parts) this.held += p.length;
      if (this.held > (this.o.limit ?? constants.MAX_STRING_LENGTH)) this.tooLarge();
    }
    this.offset += n;
  }

  end(): void {
    if (this.state === "inRow" && this.mode === "lines") this.endRow();
    if (this.mode === "array" && this.state !== "done") {
      this.fail(this.offset, this.state === "inRow" ? `row ${this.rowIndex} (line ${this.rowLine}) is not closed` : "the array is not closed with ]");
    }
    if (this.state === "start") throw new IngestError(`${this.file}: empty dataset file (expected a JSON array or JSON Lines)`, this.file);
  }

  private endRow(): void {
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    if (bytes.length > (this.o.limit ?? constants.MAX_STRING_LENGTH)) this.tooLarge();
    // Invalid UTF-8 is refused by its row and field, never read as U+FFFD (formats/input-text.ts).
    if (!isUtf8(bytes)) this.badText(bytes);
    const text = bytes.toString("utf8");
    this.state = this.mode === "array" ? "afterRow" : "beforeRow";
    if (this.mode === "lines" && text.length === 0) return;
    this.emit({ rowIndex: this.rowIndex++, line: this.rowLine, offset: this.rowOffset, text });
  }

  private tooLarge(): never {
    const mb = (b: number) => `${Math.round(b / 2 ** 20).toLocaleString("en-US")} MB`;
    throw new IngestError(
      `${this.file}: ${this.o.unit ?? "row"} ${this.rowIndex} (line ${this.rowLine}, byte ${this.rowOffset}) is over ${mb(this.o.limit ?? constants.MAX_STRING_LENGTH)}, more than one string can hold`,
      this.file,
      this.rowIndex,
      this.rowOffset,
    );
  }

  private badText(bytes: Buffer): never {
    const f = findStringFault(bytes);
    const at = f?.offset ?? Math.max(0, firstInvalidUtf8(bytes));
    const field = f ? fieldName(f.path) : "";
    const what = f?.what ?? describeInvalidUtf8(bytes, at);
    const subject = field ? `field "${field}" ` : "";
    throw new IngestError(`${this.file}: ${this.o.unit ?? "row"} ${this.rowIndex} (line ${this.rowLine}, byte ${this.rowOffset}): ${subject}${what}`, this.file, this.rowIndex, this.rowOffset, field || undefined);
  }

  private fail(offset: number, message: string): never {
    throw new IngestError(`${this.file}: line ${this.line} (byte ${offset}): ${message}`, this.file, undefined, offset);
  }
}
