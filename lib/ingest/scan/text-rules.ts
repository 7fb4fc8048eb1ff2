import { isUtf8 } from "node:buffer";
import { IngestError } from "../errors";

/**
 * The text rules every log and dataset reader applies, in one place so that no two readers
 * differ (README, "Input rules"). They live in scan/ because the byte scanner's worker is
 * bundled from scan/ and errors.ts alone.
 *
 * - A UTF-8 byte order mark (EF BB BF) at the start is skipped.
 * - UTF-16 and UTF-32 (by their byte order marks, or by the zero bytes beside the ASCII
 *   characters such a file starts with) are refused: "FILE: the file is UTF-16; save it as
 *   UTF-8".
 * - Every other byte must be valid UTF-8: the first invalid one is refused by its place (line,
 *   element or row, the field where the format has fields, the byte offset), never read as
 *   U+FFFD.
 * - A raw control character (U+0000..U+001F) inside a JSON string is refused, naming the field
 *   (scan/json-fault.ts), as JSON.parse refuses it.
 * - A number or a success flag written as text ("1.0", "true") is refused in typed formats
 *   (JSON, JSON Lines, Parquet), naming the field and the value (textNumberHint); in CSV, where
 *   every cell is text, it is read.
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

/** ", it is a number written as text: ..." when a typed format (JSON, Parquet) holds a number as a string. */
export function textNumberHint(v: unknown): string {
  return typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? "; it is a number written as text: write it without quotes" : "";
}
