import { constants } from "node:buffer";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { IngestError, lineAndColumn } from "../errors";
import { describeInvalidUtf8, invalidUtf8At, refuseWideEncoding, utf8BomLength } from "../scan/text-rules";

/**
 * Reading text files in pieces by the text rules of scan/text-rules.ts: lines of JSONL as
 * bytes, and a UTF-8 guard for what csv-parse reads.
 */

/** The longest line (or whole-document string) V8 can hold: about 512 MB. */
export const MAX_TEXT_BYTES = constants.MAX_STRING_LENGTH;

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toLocaleString("en-US", { maximumFractionDigits: 0 })} MB`;
}

/** One line of a text file as bytes: line end (and a CR before it) removed, the BOM skipped. */
export interface LineBytes {
  bytes: Buffer;
  /** 1-based. */
  lineNo: number;
  /** Byte offset of the line's start in the file. */
  offset: number;
  /** Bytes the line took in the file, its line end included. */
  size: number;
}

/**
 * The lines of a text file as bytes, streamed, so a file of any size is read in pieces.
 * Refuses UTF-16/UTF-32 and a line too long to become one string (naming the line and its
 * size, never V8's "Cannot create a string longer than ..."). UTF-8 is checked by the caller,
 * which knows the line's fields.
 */
export async function* readLineBytes(path: string, limit = MAX_TEXT_BYTES): AsyncGenerator<LineBytes> {
  let parts: Buffer[] = [];
  let held = 0;
  let lineNo = 1;
  let lineStart = 0;
  let offset = 0;
  let first = true;
  const tooLong = (): never => {
    throw new IngestError(`${path}:${lineNo}: line ${lineNo} is over ${megabytes(limit)} (a line must fit in one string); write one record per line`, path, lineNo - 1, lineStart);
  };
  const line = (tail: Buffer, size: number): LineBytes => {
    let bytes = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    held = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    return { bytes, lineNo, offset: lineStart, size };
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = 0;
    if (first) {
      first = false;
      refuseWideEncoding(chunk, path);
      i = utf8BomLength(chunk);
    }
    for (;;) {
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0) break;
      if (held + nl - i > limit) tooLong();
      const end = offset + nl + 1;
      yield line(chunk.subarray(i, nl), end - lineStart);
      lineNo++;
      lineStart = end;
      i = nl + 1;
    }
    if (i < chunk.length) {
      held += chunk.length - i;
      if (held > limit) tooLong();
      parts.push(chunk.subarray(i));
    }
    offset += chunk.length;
  }
  if (held > 0) yield line(Buffer.alloc(0), offset - lineStart);
}

/**
 * A pass-through stream for readers that hand bytes to a parser (CSV): refuses UTF-16/32 at
 * the start and the first invalid UTF-8 byte, naming its line and byte offset. A character cut
 * by a chunk's end is held until the next chunk.
 */
export class Utf8Guard extends Transform {
  private first = true;
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  private line = 1;

  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      if (this.first) {
        this.first = false;
        refuseWideEncoding(chunk, this.file);
      }
      const b = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
      const keep = b.length - incompleteTail(b);
      this.check(b, keep);
      this.carry = Buffer.from(b.subarray(keep));
      done(null, b.subarray(0, keep));
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.check(this.carry, this.carry.length);
      done(null, this.carry);
    } catch (e) {
      done(e as Error);
    }
  }

  private check(b: Buffer, end: number): void {
    const bad = invalidUtf8At(b, 0, end);
    if (bad >= 0) {
      const { line } = lineAndColumn(b, bad);
      const lineNo = this.line + line - 1;
      throw new IngestError(`${this.file}:${lineNo}: byte ${this.offset + bad} ${describeInvalidUtf8(b, bad)}`, this.file, lineNo - 1, this.offset + bad);
    }
    for (let i = b.indexOf(0x0a); i >= 0 && i < end; i = b.indexOf(0x0a, i + 1)) this.line++;
    this.offset += end;
  }
}

/** Bytes at the end of `b` that begin a UTF-8 character the next chunk completes (0 to 3). */
function incompleteTail(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back];
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Refuses a file a reader must hold whole (one buffer) when it is over `limit` bytes, with
 * the file and its size rather than the engine's error.
 */
export function refuseOverSize(file: string, size: number, limit: number, why: string): void {
  if (size > limit) throw new IngestError(`${file}: the file is ${megabytes(size)}, over the ${megabytes(limit)} ${why}`, file);
}
