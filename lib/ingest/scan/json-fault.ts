import { isUtf8 } from "node:buffer";
import { describeInvalidUtf8, firstInvalidUtf8 } from "./text-rules";
import { JsonSyntaxError, describeControl, numberEnd, skipWs, stringEnd } from "./json-bytes";

/**
 * Where a fault sits in a JSON value's bytes: which field (a path of keys and array indexes)
 * holds a byte offset, and the first string that holds a raw control character or invalid
 * UTF-8. Only called once a reader has found something wrong (JSON.parse refused a line,
 * isUtf8 refused a file), to name the field in the message: it walks the bytes in plain
 * JavaScript and is never on a hot path.
 */

export type JsonPath = (string | number)[];

export interface StringFault {
  /** Byte offset of the bad byte. */
  offset: number;
  /** The value holding it: keys and array indexes from the value walked. */
  path: JsonPath;
  /** True when the bad byte is in a field name, not a value. */
  inKey: boolean;
  /** "holds a raw control character U+0009 (tab) ...", "is not valid UTF-8 (...)". */
  what: string;
}

/** What is wrong with the string contents b[s, e), or null. */
function stringFault(b: Buffer, s: number, e: number): { offset: number; what: string } | null {
  for (let i = s; i < e; i++) if (b[i] < 0x20) return { offset: i, what: describeControl(b[i]) };
  if (!isUtf8(b.subarray(s, e))) {
    const at = Math.max(s, firstInvalidUtf8(b, s, e));
    return { offset: at, what: describeInvalidUtf8(b, at) };
  }
  return null;
}

interface Walk {
  target: number;
  hit: JsonPath | null;
  fault: StringFault | null;
  findFault: boolean;
}

/** Walks the value at `i`; returns its end. Stops (returns -1) once a fault is found. */
function walk(b: Buffer, i: number, path: JsonPath, w: Walk, depth: number): number {
  if (depth > 512) throw new JsonSyntaxError("nesting too deep", i);
  const start = i;
  const c = b[i];
  let end: number;
  if (c === 0x22) {
    const close = stringEnd(b, i + 1);
    if (w.findFault) {
      const f = stringFault(b, i + 1, close);
      if (f) {
        w.fault = { ...f, path: [...path], inKey: false };
        return -1;
      }
    }
    end = close + 1;
  } else if (c === 0x7b || c === 0x5b) {
    const isObject = c === 0x7b;
    const close = isObject ? 0x7d : 0x5d;
    i = skipWs(b, i + 1);
    let index = 0;
    if (b[i] !== close)
      for (;;) {
        let key: string | number = index++;
        if (isObject) {
          if (b[i] !== 0x22) throw new JsonSyntaxError("expected a field name", i);
          const ke = stringEnd(b, i + 1);
          if (w.findFault) {
            const f = stringFault(b, i + 1, ke);
            if (f) {
              w.fault = { ...f, path: [...path], inKey: true };
              return -1;
            }
          }
          try {
            key = JSON.parse(b.toString("utf8", i, ke + 1)) as string;
          } catch {
            key = b.toString("utf8", i + 1, ke);
          }
          i = skipWs(b, ke + 1);
          if (b[i] !== 0x3a) throw new JsonSyntaxError("expected ':'", i);
          i = skipWs(b, i + 1);
        }
        path.push(key);
        const e = walk(b, i, path, w, depth + 1);
        path.pop();
        if (e < 0) return -1;
        i = skipWs(b, e);
        if (b[i] === 0x2c) i = skipWs(b, i + 1);
        else if (b[i] === close) break;
        else throw new JsonSyntaxError("expected ',' or a closing bracket", i);
      }
    end = i + 1;
  } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
    end = i + (c === 0x66 ? 5 : 4);
  } else {
    end = numberEnd(b, i);
    if (end < 0) throw new JsonSyntaxError("not a value", i);
  }
  if (w.hit === null && start <= w.target && w.target < end) w.hit = [...path];
  return end;
}

/**
 * The first string of the JSON value at `start` that holds a raw control character or
 * invalid UTF-8, or null when there is none (or the bytes stop being JSON before one).
 */
export function findStringFault(b: Buffer, start = 0): StringFault | null {
  const w: Walk = { target: -1, hit: null, fault: null, findFault: true };
  try {
    walk(b, skipWs(b, start), [], w, 0);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
  }
  return w.fault;
}

/**
 * The path of the innermost value of the JSON value at `start` that holds byte `offset`, as
 * far as the bytes are JSON up to there; [] when it is the value itself or cannot be told.
 */
export function pathAt(b: Buffer, start: number, offset: number): JsonPath {
  const w: Walk = { target: offset, hit: null, fault: null, findFault: false };
  const path: JsonPath = [];
  try {
    walk(b, skipWs(b, start), path, w, 0);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    // Malformed further on: the fields open at the offset are those on the walk's path then.
    return w.hit ?? [...path];
  }
  return w.hit ?? [];
}

/** A path as a field name: "prompt", "content.0", "meta.uid". */
export function fieldName(path: JsonPath): string {
  return path.join(".");
}
