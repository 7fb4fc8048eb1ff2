import type { SchemaElement } from "hyparquet";
import { JsonNumber, type TypedJson, type TypedObject } from "./json-typed";

/**
 * Derives a Parquet schema from JSON rows, for datasets that came as JSON or JSONL (a Parquet
 * dataset hands over its own schema instead). One column per top-level key in first-seen
 * order; every column and nested field is OPTIONAL (JSON rows may omit keys or hold null).
 *
 *   string -> BYTE_ARRAY (UTF8)        true/false -> BOOLEAN
 *   integer spelling -> INT64          any fraction/exponent in the column -> DOUBLE
 *   object -> group (struct), fields in first-seen order across rows
 *   array -> 3-level LIST of the merged element type
 *   mixed kinds (e.g. string and number), {} -> BYTE_ARRAY (JSON): kept, as JSON text
 *   only nulls / only empty lists -> BYTE_ARRAY (UTF8), all null
 */
export type Shape =
  | { kind: "null" | "boolean" | "int" | "double" | "string" | "json" }
  | { kind: "list"; element: Shape }
  | { kind: "struct"; fields: Map<string, Shape> };

export function shapeOf(v: TypedJson): Shape {
  if (v === null) return { kind: "null" };
  if (typeof v === "boolean") return { kind: "boolean" };
  if (typeof v === "string") return { kind: "string" };
  if (v instanceof JsonNumber) return { kind: v.isInteger ? "int" : "double" };
  if (Array.isArray(v)) {
    let element: Shape = { kind: "null" };
    for (const x of v) element = mergeShapes(element, shapeOf(x));
    return { kind: "list", element };
  }
  const fields = new Map<string, Shape>();
  for (const [k, x] of v) fields.set(k, shapeOf(x));
  return { kind: "struct", fields };
}

/** The narrowest shape holding both; may reuse (and extend) `a`. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if (a.kind === "json" || b.kind === "json") return { kind: "json" };
  if ((a.kind === "int" && b.kind === "double") || (a.kind === "double" && b.kind === "int")) return { kind: "double" };
  if (a.kind === "list" && b.kind === "list") return { kind: "list", element: mergeShapes(a.element, b.element) };
  if (a.kind === "struct" && b.kind === "struct") {
    for (const [k, s] of b.fields) a.fields.set(k, a.fields.has(k) ? mergeShapes(a.fields.get(k)!, s) : s);
    return a;
  }
  return a.kind === b.kind ? a : { kind: "json" };
}

/** Accumulates the shape of every row, then writes the schema. Holds shapes, never rows. */
export class SchemaInferrer {
  private readonly columns = new Map<string, Shape>();

  add(row: TypedObject): void {
    for (const [k, v] of row) {
      const s = shapeOf(v);
      this.columns.set(k, this.columns.has(k) ? mergeShapes(this.columns.get(k)!, s) : s);
    }
  }

  /**
   * `doubleColumns` are floats whatever their spelling (lim_score prints 1 as "1").
   * `fallbackColumn` names the one string column of a file with no rows.
   */
  schema(opts: { doubleColumns?: string[]; fallbackColumn: string }): SchemaElement[] {
    const cols = new Map(this.columns);
    for (const name of opts.doubleColumns ?? []) {
      const s = cols.get(name);
      if (s && (s.kind === "int" || s.kind === "null")) cols.set(name, { kind: "double" });
    }
    if (cols.size === 0) cols.set(opts.fallbackColumn, { kind: "string" });
    const out: SchemaElement[] = [{ name: "root", num_children: cols.size }];
    for (const [name, s] of cols) out.push(...elements(name, s));
    return out;
  }
}

/** Pre-order schema elements for one field. */
function elements(name: string, s: Shape): SchemaElement[] {
  const repetition_type = "OPTIONAL" as const;
  switch (s.kind) {
    case "boolean":
      return [{ name, type: "BOOLEAN", repetition_type }];
    case "int":
      return [{ name, type: "INT64", repetition_type }];
    case "double":
      return [{ name, type: "DOUBLE", repetition_type }];
    case "null":
    case "string":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type }];
    case "json":
      return [{ name, type: "BYTE_ARRAY", converted_type: "JSON", repetition_type }];
    case "list":
      return [
        { name, repetition_type, converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        ...elements("element", s.element),
      ];
    case "struct":
      // A Parquet group needs at least one field: an always-empty object is kept as JSON.
      if (s.fields.size === 0) return elements(name, { kind: "json" });
      return [
        { name, repetition_type, num_children: s.fields.size },
        ...[...s.fields].flatMap(([k, f]) => elements(k, f)),
      ];
  }
}

/** A schema extended with OPTIONAL DOUBLE columns it lacks (lim_score on a handed-over schema). */
export function withDoubleColumns(schema: SchemaElement[], names: string[]): SchemaElement[] {
  const top = new Set(topLevelNames(schema));
  const add = names.filter((n) => !top.has(n));
  if (add.length === 0) return schema;
  const [root, ...rest] = schema;
  return [
    { ...root, num_children: (root.num_children ?? 0) + add.length },
    ...rest,
    ...add.map((name): SchemaElement => ({ name, type: "DOUBLE", repetition_type: "OPTIONAL" })),
  ];
}

/** Names of the root's direct children, in order. */
export function topLevelNames(schema: SchemaElement[]): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const n = schema[i++].num_children ?? 0;
    for (let c = 0; c < n; c++) skip();
  };
  for (let c = 0; c < (schema[0]?.num_children ?? 0); c++) {
    names.push(schema[i].name);
    skip();
  }
  return names;
}
