import { IngestError } from "../errors";

/**
 * A CSV header row, checked the same way for logs and datasets: a column named twice would
 * silently lose one of them, and a column with no name could not be named by any flag.
 */
export function checkCsvHeader(file: string, header: readonly string[]): void {
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === "") throw new IngestError(`${file}: line 1: column ${i + 1} of the header has no name`, file, 0, undefined, `column ${i + 1}`);
    if (seen.has(h)) throw new IngestError(`${file}: line 1: column "${h}" appears twice in the header`, file, 0, undefined, h);
    seen.add(h);
  });
}
