import { statSync, type Stats } from "node:fs";

/**
 * A problem with the user's input files. The message always names the file and, where it
 * applies, the element (0-based, as in the JSON array), the byte offset and the field, so a
 * user can jump to it: `head -c OFFSET file | tail -c 200`.
 */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly element?: number,
    readonly offset?: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "IngestError";
  }
}

/** 1-based line and column of a byte offset, computed only when an error is reported. */
export function lineAndColumn(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, buf.length);
  for (let i = 0; i < end; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The stat of a path the user gave, or an IngestError saying it does not exist. */
export function statGiven(path: string, resolved: string): Stats {
  try {
    return statSync(resolved);
  } catch {
    throw new IngestError(`${path}: no such file or directory`, path);
  }
}
