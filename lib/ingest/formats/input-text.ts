import { constants, isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { IngestError, lineAndColumn } from "../errors";

/**
 * The text rules every reader applies to a log or dataset file, in one place so that no two
 * readers differ (README, "Input rules"):
 *
 * - A UTF-8 byte order mark (EF BB BF) at the start is skipped.
 * - UTF-16 and UTF-32 (by their byte order marks, or by the zero bytes between ASCII
 *   characters that such a file starts with) are refused: "FILE: the file is UTF-16; save it
 *   as UTF-8".
 * - Every other byte must be valid UTF-8; the first invalid one is refused by its place
 *   (line, element or row, the field when the format has one, and its byte offset), never
 *   replaced with U+FFFD.
 */

/** The byte order mark's length when `b` starts with UTF-8's (EF BB BF), else 0. */
export function utf8BomLength(b: Uint8Array): number {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

/**
 * UTF-16 or UTF-32 text, told from its first bytes: a byte order mark, or (without one) the
 * zero bytes that every ASCII character of such a file carries (a log or dataset starts with
 * `[`, `{` or a header's letter). Null for anything else.
 */
export function wideEncoding(b: Uint8Array): { name: string; why: string } | null {
  const at = (i: number) => (i < b.length ? b[i] : -1);
  if (at(0) === 0x00 && at(1) === 0x00 && at(2) === 0xfe && at(3) === 0xff) return { name: "UTF-32", why: "it starts with 00 00 FE FF, the big-endian UTF-32 byte order mark" };
  if (at(0) === 0xff && at(1) === 0xfe && at(2) === 0x00 && at(3) === 0x00) return { name: "UTF-32", why: "it starts with FF FE 00 00, the little-endian UTF-32 byte order mark" };
  if (at(0) === 0xfe && at(1) === 0xff) return { name: "UTF-16", why: "it starts with FE FF, the big-endian UTF-16 byte order mark" };
  if (at(0) === 0xff && at(1) === 0xfe) return { name: "UTF-16", why: "it starts with FF FE, the little-endian UTF-16 byte order mark" };
  const ascii = (c: number) => c > 0x00 && c < 0x80;
  if (ascii(at(0)) && at(1) === 0x00 && at(2) === 0x00 && at(3) === 0x00) return { name: "UTF-32", why: "every character takes four bytes, three of them zero" };
  if (ascii(at(0)) && at(1) === 0x00 && ascii(at(2)) && at(3) === 0x00) return { name: "UTF-16", why: "every character takes two bytes, one of them zero" };
  if (at(0) === 0x00 && ascii(at(1)) && at(2) === 0x00 && ascii(at(3))) return { name: "UTF-16", why: "every character takes two bytes, one of them zero" };
  return null;
}

/** Throws the "save it as UTF-8" error when `head` (a file's first bytes) is UTF-16 or UTF-32. */
export function refuseWideEncoding(head: Uint8Array, file: string): void {
  const w = wideEncoding(head);
  if (w) throw new IngestError(`${file}: the file is ${w.name}; save it as UTF-8 (${w.why})`, file, undefined, 0);
}

/**
 * Offset of the first byte in b[start, end) that does not begin a valid UTF-8 sequence (an
 * overlong form, a surrogate, past U+10FFFF, a stray continuation byte or one cut short), or
 * -1. Plain JavaScript: called only where isUtf8 already said no, to say where.
 */
export function firstInvalidUtf8(b: Uint8Array, start = 0, end = b.length): number {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f; // U+D800..U+DFFF are not characters
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= end) return i; // cut short by the end
    const b1 = b[i + 1];
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** The first invalid UTF-8 byte of b[start, end) (only looked for when isUtf8 says there is one), or -1. */
export function invalidUtf8At(b: Uint8Array, start = 0, end = b.length): number {
  if (isUtf8(b.subarray(start, end))) return -1;
  const at = firstInvalidUtf8(b, start, end);
  return at < 0 ? start : at;
}

/** "invalid UTF-8 (byte C3 then 28)": the bytes at the fault, for the message. */
export function describeInvalidUtf8(b: Uint8Array, at: number): string {
  const shown = Array.from(b.subarray(at, Math.min(b.length, at + 4)), (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ");
  return `is not valid UTF-8 (bytes ${shown}); save the file as UTF-8`;
}

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
export async function* readLineBytes(path: string): AsyncGenerator<LineBytes> {
  let parts: Buffer[] = [];
  let held = 0;
  let lineNo = 1;
  let lineStart = 0;
  let offset = 0;
  let first = true;
  const tooLong = (): never => {
    throw new IngestError(`${path}:${lineNo}: line ${lineNo} is over ${megabytes(MAX_TEXT_BYTES)} (a line must fit in one string); write one record per line`, path, lineNo - 1, lineStart);
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
      if (held + nl - i > MAX_TEXT_BYTES) tooLong();
      const end = offset + nl + 1;
      yield line(chunk.subarray(i, nl), end - lineStart);
      lineNo++;
      lineStart = end;
      i = nl + 1;
    }
    if (i < chunk.length) {
      held += chunk.length - i;
      if (held > MAX_TEXT_BYTES) tooLong();
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
