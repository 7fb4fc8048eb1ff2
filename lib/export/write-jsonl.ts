import type { ChunkSink } from "./chunk-sink";

const BATCH_CHARS = 1 << 16;

/** The JSONL lines exactly as exportLines gives them, batched into ~64 KB writes. */
export async function writeJsonl(lines: AsyncIterable<string>, sink: ChunkSink): Promise<number> {
  let rows = 0;
  let buf = "";
  for await (const line of lines) {
    buf += line;
    rows++;
    if (buf.length >= BATCH_CHARS) {
      await sink.write(buf);
      buf = "";
    }
  }
  await sink.write(buf);
  return rows;
}
