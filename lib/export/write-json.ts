import type { ChunkSink } from "./chunk-sink";
import { indentJson } from "./json-indent";

const BATCH_CHARS = 1 << 16;

/**
 * A JSON array of the exported rows in the layout of LIMR's prompts file (indent 4, no final
 * newline, as Python's json.dump writes it). Each row's text is re-indented, never re-serialised.
 * Streams: holds one batch of ~64 KB at a time.
 */
export async function writeJson(lines: AsyncIterable<string>, sink: ChunkSink): Promise<number> {
  let rows = 0;
  let buf = "[";
  for await (const line of lines) {
    buf += (rows === 0 ? "\n    " : ",\n    ") + indentJson(line.trimEnd(), "    ", 1);
    rows++;
    if (buf.length >= BATCH_CHARS) {
      await sink.write(buf);
      buf = "";
    }
  }
  await sink.write(buf + (rows === 0 ? "]" : "\n]"));
  return rows;
}
