import { isUtf8 } from "node:buffer";
import { fieldError, type RowAt } from "./log-fields";
import { describeInvalidUtf8, firstInvalidUtf8 } from "../scan/text-rules";

/**
 * Parquet strings by the text rules every reader applies (input-text.ts): hyparquet decodes
 * them with a lenient TextDecoder, which reads invalid UTF-8 as U+FFFD. These parsers decode
 * valid text as before and stand an InvalidText in for the rest; `firstInvalidText` then
 * names the row and column, walking the rows only when a bad string was seen.
 */
export class InvalidText {
  constructor(readonly bytes: Uint8Array) {}
}

const decoder = new TextDecoder();

export function strictTextParsers(): { parsers: { stringFromBytes: (b: Uint8Array | undefined) => string | InvalidText | undefined }; sawInvalid: () => boolean } {
  let bad = false;
  return {
    parsers: {
      stringFromBytes(bytes) {
        if (!bytes) return bytes;
        if (isUtf8(bytes)) return decoder.decode(bytes);
        bad = true;
        return new InvalidText(bytes);
      },
    },
    sawInvalid: () => bad,
  };
}

/** Throws for the first InvalidText in `rows` (rowStart: the first row's index in the file). */
export function refuseInvalidText(rows: readonly Record<string, unknown>[], file: string, rowStart: number, label: (i: number) => string): void {
  for (let i = 0; i < rows.length; i++) {
    for (const [column, v] of Object.entries(rows[i])) {
      const found = find(v, column);
      if (found) {
        const at: RowAt = { file, where: `${file}: ${label(rowStart + i)}`, index: rowStart + i };
        const b = found.text.bytes;
        throw fieldError(at, found.path, describeInvalidUtf8(b, Math.max(0, firstInvalidUtf8(b))));
      }
    }
  }
}

function find(v: unknown, path: string): { text: InvalidText; path: string } | null {
  if (v instanceof InvalidText) return { text: v, path };
  if (v === null || typeof v !== "object" || v instanceof Uint8Array) return null;
  const entries = v instanceof Map ? [...v.entries()] : Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  for (const [k, x] of entries) {
    const f = find(x, `${path}.${String(k)}`);
    if (f) return f;
  }
  return null;
}
