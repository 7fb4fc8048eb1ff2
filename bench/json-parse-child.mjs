// The baseline bench:scale sets ingest against: a plain single-thread readFileSync +
// JSON.parse of every step_N.json in a folder, in step order. Plain JS (no tsx) so the
// process starts as fast as node does. Prints one JSON line: files, bytes, rollouts, ms.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2];
const t = performance.now();
const files = readdirSync(dir)
  .filter((f) => /^step_\d+\.json$/.test(f))
  .sort((a, b) => Number(a.slice(5, -5)) - Number(b.slice(5, -5)));
let rollouts = 0;
let bytes = 0;
for (const f of files) {
  bytes += statSync(path.join(dir, f)).size;
  rollouts += JSON.parse(readFileSync(path.join(dir, f), "utf8")).length;
}
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, rollouts, ms: performance.now() - t })}\n`);
