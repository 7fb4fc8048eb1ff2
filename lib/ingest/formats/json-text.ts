import { isUtf8 } from "node:buffer";
import { IngestError } from "../errors";
import { fieldName, findStringFault } from "../scan/json-fault";
import { describeInvalidUtf8, firstInvalidUtf8 } from "../scan/text-rules";
import type { RowAt } from "./log-fields";

/**
 * One JSON value (a JSONL line, an element of a step file's array) from its bytes, by the
 * text rules every reader shares: invalid UTF-8 is refused, not read as U+FFFD, and a raw
 * control character in a string is refused as JSON.parse refuses it, but naming the field.
 */
export function parseJsonBytes(bytes: Buffer, at: RowAt): unknown {
  if (!isUtf8(bytes)) throw stringFaultError(bytes, at) ?? new IngestError(`${at.where}: ${describeInvalidUtf8(bytes, Math.max(0, firstInvalidUtf8(bytes)))}`, at.file, at.index);
  return parseJsonText(bytes.toString("utf8"), at, bytes);
}

/** JSON.parse with the reader's message; a raw control character is named by its field. */
export function parseJsonText(text: string, at: RowAt, bytes?: Buffer): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw stringFaultError(bytes ?? Buffer.from(text, "utf8"), at) ?? new IngestError(`${at.where}: not valid JSON (${(e as Error).message})`, at.file, at.index);
  }
}

function stringFaultError(bytes: Buffer, at: RowAt): IngestError | null {
  const f = findStringFault(bytes);
  if (!f) return null;
  const field = fieldName(f.path);
  const subject = f.inKey ? (field ? `a field name in "${field}"` : "a field name") : field ? `field "${field}"` : "a string";
  return new IngestError(`${at.where}: ${subject} ${f.what}`, at.file, at.index, undefined, field || undefined);
}
