import { IngestError } from "../errors";
import { describeValue, idText, keysOf, valueAt } from "./field-path";
import { textNumberHint } from "../scan/text-rules";

export { textNumberHint };

/**
 * Names of a log's fields, for formats whose records vary (generic JSONL/CSV) and for the
 * fields a user may point at in any format (a stable id, a success flag). Each is a field
 * name, or a dotted path into nested objects ("extra_info.index").
 */
export interface LogFields {
  /** The prompt text. */
  prompt?: string;
  /** A stable prompt id: when set, prompts are identified by it rather than by their text. */
  id?: string;
  /** The training step of the rollout. */
  step?: string;
  /** The scalar reward; for TRL, a reward function's column or "sum" of them all. */
  reward?: string;
  /** A boolean (or 0/1) saying whether the rollout succeeded; else the reader's success rule (see SuccessRule). */
  success?: string;
  /** The response text. */
  response?: string;
}

/** Where a row is, for errors: "FILE:LINE" for text files, "FILE: row N" for Parquet. */
export interface RowAt {
  file: string;
  /** Shown in the message: "run/1.jsonl:3" or "completions_00010.parquet: row 3". */
  where: string;
  /** 0-based index of the row in its file (IngestError.element). */
  index: number;
}

export function fieldError(at: RowAt, field: string, what: string): IngestError {
  return new IngestError(`${at.where}: field "${field}" ${what}`, at.file, at.index, undefined, field);
}

/**
 * A number from a typed log value (JSON, Parquet): a finite JSON number or a Parquet INT64
 * (bigint). Null for anything else, numeric text included: a reward written "1.0" is text in
 * every typed format, refused by the same words everywhere (mustBeNumber) rather than read as
 * a number by some readers and refused by others.
 */
export function numberOf(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  return null;
}

/** A number from a CSV cell, where every value is text: "1.0", "-2", "1e-3". Null when it is not one, or not finite. */
export function numberOfText(v: unknown): number | null {
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return numberOf(v);
}

/** The message for a value that should have been a finite number. */
export function mustBeNumber(v: unknown): string {
  return `must be a finite number, got ${describeValue(v)}${textNumberHint(v)}`;
}

/**
 * A success flag: true/false or 1/0; with `text` (CSV, where every cell is text) also their
 * spellings "true", "False", "1", "0". Null otherwise.
 */
export function booleanOf(v: unknown, text = false): boolean | null {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === "bigint" && (v === 0n || v === 1n)) return v === 1n;
  if (text && typeof v === "string") {
    const t = v.trim().toLowerCase();
    if (t === "true" || t === "1") return true;
    if (t === "false" || t === "0") return false;
  }
  return null;
}

/** The row's stable id (--id-field) as text, or undefined when prompts are identified by text. */
export function idOf(row: unknown, fields: LogFields | undefined, at: RowAt): string | undefined {
  if (!fields?.id) return undefined;
  const v = valueAt(row, fields.id);
  if (v === undefined) throw fieldError(at, fields.id, `is missing (--id-field; the row has: ${keysOf(row)})`);
  const id = idText(v);
  if (id === null) throw fieldError(at, fields.id, `is ${describeValue(v)}, expected a string or a number (--id-field)`);
  return id;
}

/**
 * The row's success flag when --success-field names one, else undefined (success from the
 * reward). `text`: the format's values are all text (CSV).
 */
export function successOf(row: unknown, fields: LogFields | undefined, at: RowAt, text = false): boolean | undefined {
  if (!fields?.success) return undefined;
  const v = valueAt(row, fields.success);
  if (v === undefined) throw fieldError(at, fields.success, `is missing (--success-field; the row has: ${keysOf(row)})`);
  return flagOf(v, fields.success, at, text, " (--success-field)");
}

/** A success flag by booleanOf, or the one error every reader gives for a value that is not one. */
export function flagOf(v: unknown, field: string, at: RowAt, text = false, flag = ""): boolean {
  const b = booleanOf(v, text);
  if (b === null) {
    const hint = typeof v === "string" && booleanOf(v, true) !== null ? "; it is written as text: write it without quotes" : "";
    throw fieldError(at, field, `must be true/false (or 1/0), got ${describeValue(v)}${flag}${hint}`);
  }
  return b;
}

/**
 * Says a reader's message once per log. Ingest reads a log twice when it must infer the
 * epoch length before keeping examples, passing the same file list both times: keyed on that
 * list, the second pass stays quiet.
 */
const said = new WeakMap<object, Set<string>>();
export function sayOnce(files: object, key: string, say: ((m: string) => void) | undefined, message: string): void {
  let keys = said.get(files);
  if (!keys) said.set(files, (keys = new Set()));
  if (keys.has(key)) return;
  keys.add(key);
  say?.(message);
}
