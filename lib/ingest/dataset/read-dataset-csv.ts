import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { IngestError } from "../errors";
import { checkCsvHeader } from "../formats/csv-header";
import { Utf8Guard } from "../formats/input-text";
import type { DatasetReadContext, DatasetRow } from "./dataset-rows";

/**
 * A CSV dataset: a header row, then one row per prompt. Each row is kept as a JSON object of
 * its columns in header order, every value a string exactly as the cell holds it (CSV has no
 * types; export writes them back as text). Blank lines are skipped.
 */
export async function* readCsvDataset(c: DatasetReadContext): AsyncGenerator<DatasetRow[]> {
  const { file } = c;
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let read = 0;
  input.on("data", (chunk) => {
    read += chunk.length;
    c.o.onBytes?.(read, c.totalBytes);
  });
  // The text rules every reader applies (UTF-16 refused, UTF-8 checked) before csv-parse decodes.
  const guard = new Utf8Guard(file);
  const parser = input.pipe(guard).pipe(parse({ bom: true, skip_empty_lines: true, info: true }));
  input.on("error", (e) => guard.destroy(e));
  guard.on("error", (e) => parser.destroy(e));
  let header: string[] | null = null;
  let names: string[] = [];
  let batch: DatasetRow[] = [];
  let rowIndex = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === null) {
        header = record;
        names = checkHeader(file, header);
        const field = c.o.promptField ?? "prompt";
        if (!header.includes(field)) {
          const flag = c.o.promptFlag ?? "--prompt-field";
          throw new IngestError(`${file}: line 1: no column "${field}" in the header (columns: ${header.join(", ")}); choose another with ${flag}`, file, undefined, undefined, field);
        }
        continue;
      }
      const value: Record<string, string> = {};
      let json = "{";
      header.forEach((h, i) => {
        value[h] = record[i];
        json += `${i > 0 ? "," : ""}${names[i]}:${JSON.stringify(record[i])}`;
      });
      const { prompt, id } = c.keyer.keys(value, { file, rowIndex, detail: ` (line ${info.lines})` });
      const row: DatasetRow = { rowIndex: rowIndex++, prompt, json: json + "}" };
      if (id !== undefined) row.id = id;
      batch.push(row);
      if (batch.length >= c.batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (e instanceof IngestError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    if (!err.code?.startsWith("CSV_")) throw e;
    // csv-parse says what is wrong and on which line; the row is the next one we would have read.
    throw new IngestError(`${file}: row ${rowIndex}${err.lines ? ` (line ${err.lines})` : ""}: malformed CSV: ${err.message}`, file, rowIndex);
  } finally {
    input.destroy();
  }
  if (header === null) throw new IngestError(`${file}: empty dataset file (expected a CSV header row)`, file);
  if (batch.length > 0) yield batch;
}

/** Column names as JSON keys, after the header check every CSV reader shares. */
function checkHeader(file: string, header: string[]): string[] {
  checkCsvHeader(file, header);
  return header.map((h) => JSON.stringify(h));
}
