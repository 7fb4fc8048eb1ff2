/**
 * Fields a user names (--prompt-field, --id-field, --dataset-id-field, ...) looked up in one
 * log or dataset row. A name is either a key of the row as it stands (a CSV header
 * "extra_info.index" is one column) or a dotted path into nested objects and arrays
 * ("extra_info.index", "content.0"). Shared by the log readers and the dataset matcher.
 */

/** The value at `path`, or undefined when any part of the path is absent. */
export function valueAt(row: unknown, path: string): unknown {
  if (row === null || typeof row !== "object") return undefined;
  if (Object.prototype.hasOwnProperty.call(row, path)) return (row as Record<string, unknown>)[path];
  let at: unknown = row;
  for (const part of path.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(part)) return undefined;
      at = at[Number(part)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(at, part)) return undefined;
      at = (at as Record<string, unknown>)[part];
    }
  }
  return at;
}

/**
 * An id as text: strings as they are, integers and other finite numbers in their shortest
 * spelling (so a log's 12 and a dataset's "12" are one id), bigints (Parquet INT64) likewise.
 * Anything else (null, objects, booleans, NaN) is not an id: null.
 */
export function idText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "bigint") return v.toString();
  return null;
}

/** What a value is, for messages: `a string ("abc...")`, `a number (3)`, `null`, `an object`. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "missing";
  if (typeof v === "string") return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)})`;
  if (typeof v === "number" || typeof v === "bigint") return `a number (${String(v)})`;
  if (typeof v === "boolean") return `a boolean (${v})`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return "an object";
}

/** The top-level keys of a row, for "field X is missing (the row has: a, b, c)" messages. */
export function keysOf(row: unknown, max = 12): string {
  if (row === null || typeof row !== "object" || Array.isArray(row)) return "no fields";
  const keys = Object.keys(row);
  const shown = keys.slice(0, max).join(", ");
  return keys.length > max ? `${shown}, ... (${keys.length} fields)` : shown || "no fields";
}
