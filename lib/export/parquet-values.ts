import { parquetSchema, type SchemaElement, type SchemaTree } from "hyparquet";
import { JsonNumber, toPlain, type TypedJson, type TypedObject } from "./json-typed";

/** A row value that does not fit the Parquet schema: names the row and the field path. */
export class ParquetValueError extends Error {}

const isList = (e: SchemaElement) => e.converted_type === "LIST" || e.logical_type?.type === "LIST";
const isMap = (e: SchemaElement) => e.converted_type === "MAP" || e.converted_type === "MAP_KEY_VALUE" || e.logical_type?.type === "MAP";
const isString = (e: SchemaElement) =>
  e.converted_type === "UTF8" || e.converted_type === "ENUM" || e.logical_type?.type === "STRING" || e.logical_type?.type === "ENUM";
const isTime = (e: SchemaElement) =>
  e.converted_type === "TIMESTAMP_MILLIS" || e.converted_type === "TIMESTAMP_MICROS" || e.logical_type?.type === "TIMESTAMP";

/**
 * The writer recognises lists and maps by their legacy converted_type; a schema that only
 * carries the logical type gets the matching converted_type too (same meaning, both written).
 */
export function normalizeSchema(schema: SchemaElement[]): SchemaElement[] {
  return schema.map((e) => {
    if (e.logical_type?.type === "LIST" && !e.converted_type) return { ...e, converted_type: "LIST" };
    if (e.logical_type?.type === "MAP" && !e.converted_type) return { ...e, converted_type: "MAP" };
    return e;
  });
}

/** Turns each parsed row into the plain object hyparquet-writer expects for `schema`. */
export class RowConformer {
  private readonly root: SchemaTree;
  private readonly names: Set<string>;

  constructor(schema: SchemaElement[]) {
    this.root = parquetSchema({ schema } as Parameters<typeof parquetSchema>[0]);
    this.names = new Set(this.root.children.map((c) => c.element.name));
  }

  row(value: TypedJson, rowNumber: number): Record<string, unknown> {
    if (!(value instanceof Map)) throw new ParquetValueError(`row ${rowNumber}: expected an object`);
    for (const k of value.keys()) {
      if (!this.names.has(k)) throw new ParquetValueError(`row ${rowNumber}: field "${k}" is not in the Parquet schema`);
    }
    return this.group(this.root, value, `row ${rowNumber}`, "");
  }

  /** `row` labels errors ("row 3"); `at` is the field's path in the row, like messages[1].role. */
  private group(tree: SchemaTree, v: TypedObject, row: string, at: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const child of tree.children) {
      const name = child.element.name;
      out[name] = this.value(child, v.has(name) ? v.get(name)! : null, row, at ? `${at}.${name}` : name);
    }
    return out;
  }

  private value(tree: SchemaTree, v: TypedJson, row: string, at: string): unknown {
    const e = tree.element;
    const bad = (why: string): never => {
      throw new ParquetValueError(`${row}, field "${at}": ${why}`);
    };
    if (v === null) {
      if (e.repetition_type === "REQUIRED") bad("is null but the Parquet schema requires a value");
      return null;
    }
    if (e.repetition_type === "REPEATED") bad("a repeated field outside a LIST or MAP is not supported");
    if (tree.children.length > 0) {
      if (isList(e)) {
        const repeated = tree.children[0];
        if (tree.children.length !== 1 || repeated.children.length !== 1) bad("only the standard 3-level LIST layout is supported");
        if (!Array.isArray(v)) bad(`expected a list, found ${kind(v)}`);
        const item = repeated.children[0];
        return (v as TypedJson[]).map((x, i) => this.value(item, x, row, `${at}[${i}]`));
      }
      if (isMap(e)) {
        const entry = tree.children[0];
        const valueTree = entry.children.find((c) => c.element.name === "value");
        if (!(v instanceof Map)) bad(`expected an object (a map), found ${kind(v)}`);
        const out = new Map<string, unknown>();
        for (const [k, x] of v as TypedObject) out.set(k, valueTree ? this.value(valueTree, x, row, `${at}["${k}"]`) : null);
        return out;
      }
      if (e.logical_type?.type === "VARIANT") return toPlain(v);
      if (!(v instanceof Map)) bad(`expected an object, found ${kind(v)}`);
      const extra = [...(v as TypedObject).keys()].find((k) => !tree.children.some((c) => c.element.name === k));
      if (extra !== undefined) bad(`has field "${extra}" that is not in the Parquet schema`);
      return this.group(tree, v as TypedObject, row, at);
    }
    return leaf(e, v, bad);
  }
}

function leaf(e: SchemaElement, v: TypedJson, bad: (why: string) => never): unknown {
  if (e.converted_type === "JSON" || e.logical_type?.type === "JSON") return toPlain(v);
  switch (e.type) {
    case "BOOLEAN":
      return typeof v === "boolean" ? v : bad(`expected true or false, found ${kind(v)}`);
    case "INT32":
      if (e.converted_type === "DATE" || e.logical_type?.type === "DATE") return typeof v === "string" ? date(v, bad) : int(v, bad, false);
      return int(v, bad, false);
    case "INT64":
      if (isTime(e) && typeof v === "string") return date(v, bad);
      return int(v, bad, true);
    case "FLOAT":
    case "DOUBLE":
      if (v instanceof JsonNumber) return v.toNumber();
      // JSON has no NaN or Infinity: a Parquet dataset's row keeps them as these strings.
      if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
      return bad(`expected a number, found ${kind(v)}`);
    case "BYTE_ARRAY":
      if (typeof v !== "string") return bad(`expected a string, found ${kind(v)}`);
      // Unannotated BYTE_ARRAY is binary, kept in the row as base64 (lib/ingest/dataset/parquet-row-json.ts).
      return isString(e) ? v : base64(v, bad);
    case "FIXED_LEN_BYTE_ARRAY": {
      if (e.converted_type || e.logical_type) return bad(`Parquet type FIXED_LEN_BYTE_ARRAY (${e.converted_type ?? e.logical_type?.type}) is not supported for export yet`);
      if (typeof v !== "string") return bad(`expected base64 bytes, found ${kind(v)}`);
      const bytes = base64(v, bad);
      return bytes.length === e.type_length ? bytes : bad(`expected ${e.type_length} bytes, found ${bytes.length}`);
    }
    default:
      return bad(`Parquet type ${e.type}${e.converted_type ? ` (${e.converted_type})` : ""} is not supported for export yet`);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64(v: string, bad: (why: string) => never): Uint8Array {
  if (!BASE64.test(v)) bad("expected base64 bytes (a binary column), found text that is not base64");
  return new Uint8Array(Buffer.from(v, "base64"));
}

function int(v: TypedJson, bad: (why: string) => never, big: boolean): number | bigint {
  if (!(v instanceof JsonNumber)) return bad(`expected an integer, found ${kind(v)}`);
  let n: bigint;
  if (v.isInteger) n = BigInt(v.text);
  else if (Number.isInteger(v.toNumber())) n = BigInt(v.toNumber());
  else return bad(`expected an integer, found ${v.text}`);
  const bits = big ? 64n : 32n;
  if (n < -(1n << (bits - 1n)) || n >= 1n << (bits - 1n)) bad(`${v.text} does not fit INT${bits}`);
  return big ? n : Number(n);
}

function date(v: string, bad: (why: string) => never): Date {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? bad(`"${v}" is not a date`) : d;
}

function kind(v: TypedJson): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return `the number ${v.text}`;
  if (Array.isArray(v)) return "a list";
  if (v instanceof Map) return "an object";
  return typeof v === "string" ? "a string" : `${v}`;
}
