import type { SchemaTree } from "hyparquet";

/**
 * A Parquet row as JSON text, losslessly, so that an export back to Parquet with the file's
 * own schema (lib/export/parquet-values.ts) writes the same values:
 *
 *   INT64 (BigInt) -> its exact decimal digits      FLOAT/DOUBLE -> shortest round-trip text,
 *   timestamps -> the raw integer (see PARSERS)       -0 as -0, NaN/Infinity as "NaN"/"Infinity"
 *   DATE -> "YYYY-MM-DD"                             unannotated BYTE_ARRAY (binary) -> base64
 *   structs -> objects in schema field order         lists -> arrays, maps -> objects, null -> null
 *
 * Key order follows the schema, not the JavaScript object (which would move a field named "2"
 * to the front).
 */
export function parquetRowJson(root: SchemaTree, row: Record<string, unknown>): string {
  return group(root, row);
}

/**
 * hyparquet's value parsers, overridden where the default loses information: timestamps stay
 * the stored integer (a JavaScript Date holds milliseconds only).
 */
export const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => v,
  timestampFromMicroseconds: (v: bigint) => v,
  timestampFromNanoseconds: (v: bigint) => v,
};

const isList = (t: SchemaTree) => t.element.converted_type === "LIST" || t.element.logical_type?.type === "LIST";
const isMap = (t: SchemaTree) => ["MAP", "MAP_KEY_VALUE"].includes(t.element.converted_type ?? "") || t.element.logical_type?.type === "MAP";

function group(t: SchemaTree, v: Record<string, unknown>): string {
  let out = "{";
  t.children.forEach((c, i) => {
    out += `${i > 0 ? "," : ""}${JSON.stringify(c.element.name)}:${value(c, v[c.element.name])}`;
  });
  return out + "}";
}

function value(t: SchemaTree, v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (t.element.repetition_type === "REPEATED" && Array.isArray(v)) return `[${v.map((x) => single(t, x)).join(",")}]`;
  return single(t, v);
}

function single(t: SchemaTree, v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (t.children.length > 0) {
    if (isList(t) && Array.isArray(v)) {
      const rep = t.children[0];
      const item = rep.children.length === 1 ? rep.children[0] : rep;
      return `[${v.map((x) => (item === rep ? single(item, x) : value(item, x))).join(",")}]`;
    }
    if (isMap(t)) {
      const valueTree = t.children[0]?.children.find((c) => c.element.name === "value");
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
      return `{${entries.map(([k, x]) => `${JSON.stringify(String(k))}:${valueTree ? value(valueTree, x) : plain(x)}`).join(",")}}`;
    }
    if (typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array)) return group(t, v as Record<string, unknown>);
    return plain(v);
  }
  // Read as bytes (utf8: false keeps binary exact); an ENUM is text all the same.
  if (v instanceof Uint8Array && (t.element.converted_type === "ENUM" || t.element.logical_type?.type === "ENUM")) return JSON.stringify(new TextDecoder().decode(v));
  if (v instanceof Date && (t.element.converted_type === "DATE" || t.element.logical_type?.type === "DATE")) return JSON.stringify(v.toISOString().slice(0, 10));
  return plain(v);
}

/** Any decoded value (JSON columns, variants, leaves) as JSON text. */
function plain(v: unknown): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "bigint":
      return v.toString();
    case "number":
      if (Object.is(v, -0)) return "-0";
      return Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
    case "string":
    case "boolean":
      return JSON.stringify(v);
  }
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64"));
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(plain).join(",")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${JSON.stringify(String(k))}:${plain(x)}`).join(",")}}`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${plain(x)}`).join(",")}}`;
  return "null";
}
