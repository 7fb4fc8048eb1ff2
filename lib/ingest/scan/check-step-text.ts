import { isUtf8 } from "node:buffer";
import { IngestError, lineAndColumn } from "../errors";
import { describeInvalidUtf8, firstInvalidUtf8, refuseWideEncoding } from "./text-rules";
import { fieldName, findStringFault, pathAt } from "./json-fault";

/**
 * The text rules (formats/input-text.ts) for a whole step file in one buffer, before the
 * byte scanner walks it: UTF-16/32 refused, and every byte valid UTF-8. isUtf8 is SIMD-fast
 * (several GB/s, a few percent of a scan); only when it fails is the file walked again to
 * name the element and field of the first bad byte.
 */
export function checkStepText(buf: Buffer, file: string, bom: number): void {
  refuseWideEncoding(buf, file);
  if (isUtf8(bom === 0 ? buf : buf.subarray(bom))) return;
  const fault = findStringFault(buf, bom);
  const offset = fault?.offset ?? Math.max(bom, firstInvalidUtf8(buf, bom));
  const path = fault ? fault.path : pathAt(buf, bom, offset);
  throw stepTextError(buf, file, offset, path, fault?.what ?? describeInvalidUtf8(buf, offset), fault?.inKey ?? false);
}

/** "FILE: element 3, line 12, column 8 (byte 400): field "prompt": is not valid UTF-8 ...". */
export function stepTextError(buf: Buffer, file: string, offset: number, path: (string | number)[], what: string, inKey = false): IngestError {
  const { line, column } = lineAndColumn(buf, offset);
  const element = typeof path[0] === "number" ? path[0] : undefined;
  const field = fieldName(path.slice(element === undefined ? 0 : 1));
  const where = `${file}: ${element !== undefined ? `element ${element}, ` : ""}line ${line}, column ${column} (byte ${offset})`;
  const subject = inKey ? (field ? `a field name in "${field}"` : "a field name") : field ? `field "${field}"` : "the text";
  return new IngestError(`${where}: ${subject}: ${what}`, file, element, offset, field || undefined);
}
