import { IngestError, lineAndColumn } from "../errors";
import { JsonSyntaxError, StringFaultError, decodeString, describeValue, numberEnd, preview, skipValue, skipWs, stringEnd } from "./json-bytes";
import { unpackStepBatch, type PackedStepBatch } from "./pack-step-batch";
import type { BatchOptions, StepBatch } from "./record";
import { StepTable } from "./step-table";
import { checkStepText } from "./check-step-text";
import { textNumberHint } from "./text-rules";
import { fieldName, pathAt } from "./json-fault";

/**
 * Reads one OpenRLHF step file (a JSON array of {prompt, response, reward, response_length})
 * from a Buffer without JSON.parse: it walks the bytes, validates the structure, and jumps
 * over response strings with indexOf. Most of a log's bytes are response text that only the
 * few kept examples need, so this is where ingest gets its speed.
 *
 * The whole file must be valid UTF-8 (checkStepText, before the walk: SIMD-fast). Not checked
 * inside strings the scan skips (responses it does not keep, other fields, field names):
 * escape sequences and raw control characters, which would cost a JavaScript pass over nearly
 * every byte; prompts and kept responses are checked (decodeString, stringLiteral).
 */

const PROMPT = 1;
const RESPONSE = 2;
const REWARD = 3;
const LENGTH = 4;
const FIELD_NAMES = ["", "prompt", "response", "reward", "response_length"];

class FieldError extends JsonSyntaxError {
  constructor(
    readonly field: string,
    message: string,
    offset: number,
  ) {
    super(message, offset);
  }
}

function bytesEqual(buf: Buffer, s: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (buf[s + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** Which of the four fields the key between s and e (exclusive, no quotes) names; 0 for others. */
function fieldId(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 6) {
    if (bytesEqual(buf, s, "prompt")) return PROMPT;
    if (bytesEqual(buf, s, "reward")) return REWARD;
  } else if (len === 8) {
    if (bytesEqual(buf, s, "response")) return RESPONSE;
  } else if (len === 15) {
    if (bytesEqual(buf, s, "response_length")) return LENGTH;
  }
  // A key spelled with escapes ("\u0070rompt") is still that key, as for JSON.parse.
  if (buf.subarray(s, e).indexOf(0x5c) >= 0) {
    const name = decodeString(buf, s - 1, e);
    const id = FIELD_NAMES.indexOf(name);
    return id > 0 ? id : 0;
  }
  return 0;
}

/**
 * Reward values by their token's bytes (tokens up to 6 bytes, packed into a number with
 * their length): a run has a handful of distinct rewards ("1.0", "-0.5", ...), so nearly
 * every token is a lookup instead of a string slice and a Number().
 */
const rewardByToken = new Map<number, number>();

/** The hint every reader gives for a number written as text ("1.0"), when the string at `i` is one. */
function numberAsText(buf: Buffer, i: number): string {
  if (buf[i] !== 0x22) return "";
  const close = buf.indexOf(0x22, i + 1);
  return close > i ? textNumberHint(buf.toString("latin1", i + 1, Math.min(close, i + 40))) : "";
}

function parseReward(buf: Buffer, i: number): { value: number; end: number } {
  const end = numberEnd(buf, i);
  if (end < 0) throw new FieldError("reward", `expected a JSON number, found ${describeValue(buf, i)}${numberAsText(buf, i)}`, i);
  const n = end - i;
  let key = -1;
  if (n <= 6) {
    key = n;
    for (let k = i; k < end; k++) key = key * 256 + buf[k];
    const hit = rewardByToken.get(key);
    if (hit !== undefined) return { value: hit, end };
  }
  const text = buf.toString("latin1", i, end);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new FieldError("reward", `${text} is not a finite number`, i);
  if (key >= 0 && rewardByToken.size < 256) rewardByToken.set(key, value);
  return { value, end };
}

function parseLength(buf: Buffer, i: number): { value: number; end: number } {
  const end = numberEnd(buf, i);
  if (end < 0) throw new FieldError("response_length", `expected a JSON number, found ${describeValue(buf, i)}${numberAsText(buf, i)}`, i);
  let value = 0;
  if (end - i <= 15) {
    for (let k = i; k < end; k++) {
      const d = buf[k] - 0x30;
      if (d < 0 || d > 9) {
        value = -1;
        break;
      }
      value = value * 10 + d;
    }
  } else value = -1;
  if (value < 0) value = Number(buf.toString("latin1", i, end)); // "412.0", "4e2", negatives
  if (!Number.isInteger(value) || value < 0) {
    throw new FieldError("response_length", `expected an integer >= 0, found ${buf.toString("latin1", i, end)}`, i);
  }
  return { value, end };
}

function expectString(buf: Buffer, i: number, field: number): number {
  if (buf[i] !== 0x22) throw new FieldError(FIELD_NAMES[field], `expected a string, found ${describeValue(buf, i)}`, i);
  return stringEnd(buf, i + 1);
}


/** Reused file after file: a scan thread scans one file at a time. */
const table = new StepTable();

/** The scan thread's step table (scan-step-pieces.ts fills it piece by piece). */
export function stepTable(): StepTable {
  return table;
}

/** Where a walk over a step's elements stands; kept across the pieces of a file. */
export interface WalkState {
  /** The element being read (its index in the array), -1 before the first. */
  element: number;
  elementStart: number;
  /** The array's closing bracket was read. */
  closed: boolean;
}

/**
 * Reads elements from `i` (the first byte of an element) into the table until the array
 * closes (state.closed; returns the index past "]"). With `piece` (buf holds a file's bytes
 * only up to some point), stops before the first element that does not end inside buf,
 * together with the byte after it, and returns its start: the caller reads on from there.
 */
export function walkElements(buf: Buffer, i: number, t: StepTable, s: WalkState, piece: boolean): number {
  // Rollouts of one prompt usually sit together: compare raw bytes with the previous
  // prompt first, and decode and look up the key only when they differ.
  let lastStart = -1;
  let lastEnd = -1;
  let last = -1;
  i = skipWs(buf, i); // white space may run across pieces
  try {
    for (;;) {
      s.element++;
      s.elementStart = i;
      if (buf[i] !== 0x7b) throw new JsonSyntaxError(`expected an object, found ${describeValue(buf, i)}`, i);
      let ps = -1, pe = -1, rs = -1, re = -1, reward = 0, hasReward = false, len = -1;
      i = skipWs(buf, i + 1);
      if (buf[i] !== 0x7d)
        for (;;) {
          if (buf[i] !== 0x22) throw new JsonSyntaxError(`expected a field name, found ${preview(buf, i)}`, i);
          const ke = stringEnd(buf, i + 1);
          const id = fieldId(buf, i + 1, ke);
          i = skipWs(buf, ke + 1);
          if (buf[i] !== 0x3a) throw new JsonSyntaxError(`expected ':' after a field name, found ${preview(buf, i)}`, i);
          i = skipWs(buf, i + 1);
          // A repeated field: the last one wins, as with JSON.parse and Python's json.
          if (id === PROMPT) {
            ps = i;
            pe = expectString(buf, i, PROMPT);
            i = pe + 1;
          } else if (id === RESPONSE) {
            rs = i;
            re = expectString(buf, i, RESPONSE);
            i = re + 1;
          } else if (id === REWARD) {
            const r = parseReward(buf, i);
            reward = r.value;
            hasReward = true;
            i = r.end;
          } else if (id === LENGTH) {
            const r = parseLength(buf, i);
            len = r.value;
            i = r.end;
          } else i = skipValue(buf, i);
          i = skipWs(buf, i);
          if (buf[i] === 0x2c) i = skipWs(buf, i + 1);
          else if (buf[i] === 0x7d) break;
          else throw new JsonSyntaxError(`expected ',' or '}' after a field, found ${preview(buf, i)}`, i);
        }
      i++;
      if (ps < 0) throw new FieldError("prompt", "missing field", s.elementStart);
      if (rs < 0) throw new FieldError("response", "missing field", s.elementStart);
      if (!hasReward) throw new FieldError("reward", "missing field", s.elementStart);
      if (len < 0) throw new FieldError("response_length", "missing field", s.elementStart);
      // An element counts only once what follows it is in the piece too.
      if (piece && skipWs(buf, i) >= buf.length) return unread(s);

      if (last < 0 || pe - ps !== lastEnd - lastStart || buf.compare(buf, ps, pe, lastStart, lastEnd) !== 0) {
        last = t.slotOf(buf, ps, pe);
        lastStart = ps;
        lastEnd = pe;
      }
      if (t.addRollout(last, reward, len)) t.keepRaw(last, s.element, reward, len, rs, re + 1);

      i = skipWs(buf, i);
      if (buf[i] === 0x2c) i = skipWs(buf, i + 1);
      else if (buf[i] === 0x5d) {
        s.closed = true;
        return i + 1;
      } else throw new JsonSyntaxError(`expected ',' or ']' after an element, found ${preview(buf, i)}`, i);
    }
  } catch (e) {
    // In a piece, bytes that do not parse may only be cut short: the caller reads on (and,
    // at the end of the file, reads the whole file to say what is wrong).
    if (piece && e instanceof JsonSyntaxError) return unread(s);
    throw e;
  }
}

/** The element being read is left for the next piece. */
function unread(s: WalkState): number {
  s.element--;
  return s.elementStart;
}

/** Scans one step file into a packed batch (see StepTable); errors name the file, element, line and field. */
export function scanOpenRlhfStepPacked(buf: Buffer, o: BatchOptions): PackedStepBatch {
  const t = table;
  t.reset(o);
  const n = buf.length;
  const s: WalkState = { element: -1, elementStart: -1, closed: false };
  try {
    let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
    checkStepText(buf, o.file, i);
    i = skipWs(buf, i);
    if (buf[i] !== 0x5b) throw new JsonSyntaxError(`expected a JSON array, found ${describeValue(buf, i)}`, i);
    i = skipWs(buf, i + 1);
    if (buf[i] === 0x5d) i++;
    else i = walkElements(buf, i, t, s, false);
    i = skipWs(buf, i);
    if (i < n) throw new JsonSyntaxError(`unexpected ${preview(buf, i)} after the array`, i);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const { element, elementStart } = s;
    const { line, column } = lineAndColumn(buf, e.offset);
    const where = `${o.file}: ${element >= 0 ? `element ${element}, ` : ""}line ${line}, column ${column} (byte ${e.offset})`;
    if (e instanceof FieldError) {
      throw new IngestError(`${where}: field "${e.field}": ${e.message}`, o.file, element, e.offset, e.field);
    }
    // Inside an element, name the field the bad bytes are in (a raw control character in a prompt, say).
    const field = element >= 0 ? fieldName(pathAt(buf, elementStart, e.offset)) : "";
    if (field) throw new IngestError(`${where}: field "${field}": ${e instanceof StringFaultError ? "" : "malformed JSON: "}${e.message}`, o.file, element, e.offset, field);
    throw new IngestError(`${where}: malformed JSON: ${e.message}`, o.file, element >= 0 ? element : undefined, e.offset);
  }
  return t.finish(n, buf);
}

/** The same scan as a StepBatch of maps and objects (tests, tools). */
export function scanOpenRlhfStep(buf: Buffer, o: BatchOptions): StepBatch {
  return unpackStepBatch(scanOpenRlhfStepPacked(buf, o));
}
