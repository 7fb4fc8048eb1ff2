/**
 * A JSON reader that keeps what JSON.parse throws away and a Parquet schema needs: a number's
 * spelling (`1.0` is a float even though it equals 1; 2^63-1 stays exact as an INT64) and an
 * object's key order (JavaScript objects move integer-like keys such as "2" to the front).
 * The input is a dataset row the ingest already validated, so errors here mean a bug upstream;
 * they still name the byte offset.
 */

/** A JSON number exactly as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** Written without fraction or exponent: an integer column candidate. */
  get isInteger(): boolean {
    return INTEGER.test(this.text);
  }
  toNumber(): number {
    return Number(this.text);
  }
}

export type TypedJson = null | boolean | string | JsonNumber | TypedJson[] | TypedObject;
/** An object with its keys in written order. */
export type TypedObject = Map<string, TypedJson>;

const INTEGER = /^-?\d+$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseTyped(text: string): TypedJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`invalid JSON at byte ${i}: ${what}`);
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const word = (w: string, v: TypedJson): TypedJson => {
    if (!text.startsWith(w, i)) fail(`expected ${w}`);
    i += w.length;
    return v;
  };
  const string = (): string => {
    if (text.charCodeAt(i) !== 34) fail("expected a string");
    const start = ++i;
    const quote = text.indexOf('"', i);
    if (quote === -1) fail("unterminated string");
    const backslash = text.indexOf("\\", i);
    // Most strings have no escape: one native search, one slice.
    if (backslash === -1 || backslash > quote) {
      i = quote + 1;
      return text.slice(start, quote);
    }
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (Number.isNaN(c)) fail("unterminated string");
      i += c === 92 ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start - 1, i)) as string;
  };
  const value = (): TypedJson => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: TypedObject = new Map();
      ws();
      if (text[i] === "}") return i++, obj;
      for (;;) {
        ws();
        const key = string();
        ws();
        if (text[i++] !== ":") fail('expected ":"');
        obj.set(key, value());
        ws();
        const sep = text[i++];
        if (sep === "}") return obj;
        if (sep !== ",") fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const arr: TypedJson[] = [];
      ws();
      if (text[i] === "]") return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return arr;
        if (sep !== ",") fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === "t") return word("true", true);
    if (c === "f") return word("false", false);
    if (c === "n") return word("null", null);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("expected a value");
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const out = value();
  ws();
  if (i !== text.length) fail("trailing text");
  return out;
}

/** The plain JavaScript value (numbers as Number), for JSON-typed Parquet columns. */
export function toPlain(v: TypedJson): unknown {
  if (v instanceof JsonNumber) return v.toNumber();
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k] = toPlain(x);
    return o;
  }
  return v;
}
