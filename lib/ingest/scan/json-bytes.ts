import { isUtf8 } from "node:buffer";

/**
 * Byte-level JSON helpers over a Buffer: enough to validate structure and find values
 * without materialising them. Each returns the index just past what it consumed, or throws
 * a JsonSyntaxError carrying the byte offset; the caller adds file and element.
 */

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function skipWs(buf: Uint8Array, i: number): number {
  const n = buf.length;
  while (i < n) {
    const c = buf[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  return i;
}

/**
 * Index of the closing quote of the string whose contents start at `i` (just past the
 * opening quote). memchr-speed via indexOf: a quote preceded by an odd run of backslashes is
 * escaped. Contents are not validated here (escapes are checked when a string is decoded).
 */
export function stringEnd(buf: Buffer, i: number): number {
  let q = buf.indexOf(QUOTE, i);
  for (;;) {
    if (q < 0) throw new JsonSyntaxError("unterminated string", i - 1);
    if (buf[q - 1] !== BACKSLASH) return q;
    let k = q - 2;
    while (buf[k] === BACKSLASH) k--;
    // q-1-k backslashes precede the quote; an even count means they escape each other.
    if (((q - 1 - k) & 1) === 0) return q;
    q = buf.indexOf(QUOTE, q + 1);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** End of a JSON number token at `i`, or -1 when the bytes there are not one. */
export function numberEnd(buf: Uint8Array, i: number): number {
  let j = i;
  if (buf[j] === 0x2d) j++;
  if (buf[j] === 0x30) j++;
  else if (buf[j] >= 0x31 && buf[j] <= 0x39) {
    j++;
    while (isDigit(buf[j])) j++;
  } else return -1;
  if (buf[j] === 0x2e) {
    j++;
    if (!isDigit(buf[j])) return -1;
    while (isDigit(buf[j])) j++;
  }
  if (buf[j] === 0x65 || buf[j] === 0x45) {
    j++;
    if (buf[j] === 0x2b || buf[j] === 0x2d) j++;
    if (!isDigit(buf[j])) return -1;
    while (isDigit(buf[j])) j++;
  }
  return j;
}

function literalEnd(buf: Uint8Array, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) {
    if (buf[i + k] !== word.charCodeAt(k)) throw new JsonSyntaxError(`invalid token ${preview(buf, i)}`, i);
  }
  return i + word.length;
}

/** Skips any JSON value at `i` (after white space), validating its structure. */
export function skipValue(buf: Buffer, i: number, depth = 0): number {
  if (depth > 512) throw new JsonSyntaxError("nesting too deep", i);
  const c = buf[i];
  if (c === QUOTE) return stringEnd(buf, i + 1) + 1;
  if (c === 0x7b || c === 0x5b) {
    const close = c === 0x7b ? 0x7d : 0x5d;
    i = skipWs(buf, i + 1);
    if (buf[i] === close) return i + 1;
    for (;;) {
      if (close === 0x7d) {
        if (buf[i] !== QUOTE) throw new JsonSyntaxError(`expected a field name, found ${preview(buf, i)}`, i);
        i = skipWs(buf, stringEnd(buf, i + 1) + 1);
        if (buf[i] !== 0x3a) throw new JsonSyntaxError(`expected ':' after a field name, found ${preview(buf, i)}`, i);
        i = skipWs(buf, i + 1);
      }
      i = skipWs(buf, skipValue(buf, i, depth + 1));
      if (buf[i] === 0x2c) i = skipWs(buf, i + 1);
      else if (buf[i] === close) return i + 1;
      else throw new JsonSyntaxError(`expected ',' or '${String.fromCharCode(close)}', found ${preview(buf, i)}`, i);
    }
  }
  if (c === 0x74) return literalEnd(buf, i, "true");
  if (c === 0x66) return literalEnd(buf, i, "false");
  if (c === 0x6e) return literalEnd(buf, i, "null");
  const end = numberEnd(buf, i);
  if (end < 0) throw new JsonSyntaxError(`invalid value ${preview(buf, i)}`, i);
  return end;
}

/** What kind of JSON value starts at `i`, for "expected a number, found ..." messages. */
export function describeValue(buf: Uint8Array, i: number): string {
  const c = buf[i];
  if (c === QUOTE) return "a string";
  if (c === 0x7b) return "an object";
  if (c === 0x5b) return "an array";
  if (c === 0x74 || c === 0x66) return "a boolean";
  if (c === 0x6e && buf[i + 1] === 0x75) return "null";
  if (numberEnd(buf, i) >= 0) return "a number";
  return `${preview(buf, i)} (not valid JSON)`;
}

/** A short quoted excerpt of the bytes at `i` for error messages. */
export function preview(buf: Uint8Array, i: number): string {
  if (i >= buf.length) return "end of file";
  let end = i;
  while (end < buf.length && end - i < 24 && !isWs(buf[end]) && buf[end] !== 0x2c && buf[end] !== 0x7d && buf[end] !== 0x5d) end++;
  if (end === i) end = i + 1;
  return JSON.stringify(Buffer.from(buf.subarray(i, end)).toString("utf8"));
}

/** A string's contents break the text rules (a raw control character, invalid UTF-8): the message says what, with no "malformed JSON". */
export class StringFaultError extends JsonSyntaxError {}

const CONTROL_NAMES: Record<number, string> = { 0x00: "NUL", 0x09: "tab", 0x0a: "line feed", 0x0d: "carriage return" };
const CONTROL_ESCAPES: Record<number, string> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

/** The message for a raw control character (U+0000..U+001F) inside a JSON string. */
export function describeControl(c: number): string {
  const hex = c.toString(16).toUpperCase().padStart(4, "0");
  const name = CONTROL_NAMES[c] ? ` (${CONTROL_NAMES[c]})` : "";
  return `holds a raw control character U+${hex}${name}, which a JSON string must write escaped (${CONTROL_ESCAPES[c] ?? `\\u${hex.toLowerCase()}`})`;
}

/**
 * Decodes the string whose quotes sit at `open` and `close`; JSON.parse only when it has
 * escapes. A raw control character or invalid UTF-8 is refused (JSON.parse would refuse the
 * one; toString would turn the other into U+FFFD).
 */
export function decodeString(buf: Buffer, open: number, close: number): string {
  for (let i = open + 1; i < close; i++) if (buf[i] < 0x20) throw new StringFaultError(describeControl(buf[i]), i);
  if (!isUtf8(buf.subarray(open + 1, close))) throw new StringFaultError("is not valid UTF-8; save the file as UTF-8", open + 1);
  // Search within the slice: an unbounded indexOf would scan the rest of the file each time.
  if (buf.subarray(open + 1, close).indexOf(BACKSLASH) < 0) return buf.toString("utf8", open + 1, close);
  try {
    return JSON.parse(buf.toString("utf8", open, close + 1)) as string;
  } catch (e) {
    throw new JsonSyntaxError(`invalid string (${(e as Error).message})`, open);
  }
}

/** Bytes that may follow a backslash in a JSON string, other than "u". */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * The string whose quotes sit at `open` and `close` as JSON text: its bytes as they stand when
 * they are a valid JSON string (the usual case: no decoding, no re-encoding), else the decoded
 * text encoded again (escapes JSON.stringify spells otherwise), else decodeString's error (a
 * raw control character, invalid UTF-8).
 */
export function stringLiteral(buf: Buffer, open: number, close: number): string {
  for (let i = open + 1; i < close; i++) {
    const c = buf[i];
    if (c < 0x20) return JSON.stringify(decodeString(buf, open, close));
    if (c !== BACKSLASH) continue;
    const n = buf[++i];
    if (n === 0x75) {
      if (!(isHex(buf[i + 1]) && isHex(buf[i + 2]) && isHex(buf[i + 3]) && isHex(buf[i + 4]))) return JSON.stringify(decodeString(buf, open, close));
      i += 4;
    } else if (!SIMPLE_ESCAPES.has(n)) return JSON.stringify(decodeString(buf, open, close));
  }
  if (!isUtf8(buf.subarray(open + 1, close))) throw new StringFaultError("is not valid UTF-8; save the file as UTF-8", open + 1);
  return buf.toString("utf8", open, close + 1);
}

/** Bytes that may follow a backslash in a JSON string, other than "u". */
function isSimpleEscape(c: number): boolean {
  return c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/**
 * Whether the literal b[start, end) (quotes included) is stored as it stands: a valid JSON
 * string (no raw control character, only valid escapes), which is what stringLiteral returns
 * for it unchanged; any other literal goes through stringLiteral. Its bytes are UTF-8 already:
 * the example picker's candidates come from step files the scanner checked whole (checkStepText,
 * scanStepPieces).
 * At LIMR scale this sees every kept response (~130 MB), so it reads four bytes at a time and
 * looks at single bytes only around a backslash or a control character.
 */
export function isPlainLiteral(b: Uint8Array, start: number, end: number): boolean {
  const from = start + 1;
  const to = end - 1;
  const first = (b.byteOffset + from + 3) & ~3; // the first 4-byte aligned address in the content
  const words = first < b.byteOffset + to ? new Uint32Array(b.buffer, first, (b.byteOffset + to - first) >>> 2) : null;
  const wordsFrom = first - b.byteOffset;
  const wordsTo = wordsFrom + (words ? words.length << 2 : 0);
  for (let i = from; i < to; ) {
    if (words && i >= wordsFrom && i < wordsTo && ((i - wordsFrom) & 3) === 0) {
      const x = words[(i - wordsFrom) >>> 2];
      const y = x ^ 0x5c5c5c5c; // a zero byte where x has a backslash
      // Any byte < 0x20, or any zero byte of y: exact per word (the borrow trick).
      if ((((x - 0x20202020) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) {
        // fall through to the bytes of this word
      } else {
        i += 4;
        continue;
      }
    }
    const c = b[i];
    if (c < 0x20) return false;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    const n = b[i + 1];
    if (n === 0x75) {
      if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return false;
      i += 6;
    } else if (isSimpleEscape(n)) i += 2;
    else return false;
  }
  return true;
}
