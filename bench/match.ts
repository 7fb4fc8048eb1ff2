/**
 * `npm run bench:match`: how long ingest takes to join a log's prompts to the dataset's rows
 * (lib/ingest/dataset/match-prompts.ts) at 8.5k and 100k prompts, for each way they can match:
 * exact text, id, a template the user gives, and a template learned from the log. The log
 * holds every dataset question once; templated texts wrap it in verl's chat template.
 * Flags: --repeat N (best of N, default 3).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { chatTemplate } from "../lib/demo/generate-verl";
import { mulberry32 } from "../lib/demo/prng";
import { distinctQuestions } from "../lib/demo/synthetic-plan";
import { DatasetIndex } from "../lib/ingest/dataset/dataset-index";
import { matchPrompts, type MatchOptions } from "../lib/ingest/dataset/match-prompts";

const { values } = parseArgs({ options: { repeat: { type: "string" } } });
const repeat = Math.max(1, Number(values.repeat ?? 3));

function best(fn: () => void): number {
  let ms = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
process.stdout.write(`machine: ${os.cpus().length} x ${cpu}, Node ${process.version}; best of ${repeat}; load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);
process.stdout.write(`${"prompts".padStart(9)}  ${"index".padStart(8)}  ${"exact".padStart(8)}  ${"by id".padStart(8)}  ${"given".padStart(8)}  ${"learned".padStart(8)}\n`);
for (const n of [8_523, 100_000]) {
  const questions = distinctQuestions(mulberry32(7), n);
  const ids = questions.map((_, i) => String(i));
  const index = new DatasetIndex();
  const indexMs = best(() => {
    const fresh = new DatasetIndex();
    fresh.add(questions.map((prompt, rowIndex) => ({ rowIndex, prompt, json: "{}", id: ids[rowIndex] })));
  });
  index.add(questions.map((prompt, rowIndex) => ({ rowIndex, prompt, json: "{}", id: ids[rowIndex] })));
  const templated = questions.map(chatTemplate).map((t) => t.trim());
  const run = (keys: string[], texts: string[], o: MatchOptions) =>
    best(() => {
      const m = matchPrompts(keys, texts, index, o);
      if (m.unmatched !== 0) throw new Error(`${m.unmatched} of ${n} prompts did not match`);
    });
  const cells = [
    indexMs,
    run(questions, questions, { byId: false }),
    run(ids, templated, { byId: true }),
    run(templated, templated, { byId: false, template: chatTemplate("{prompt}") }),
    run(templated, templated, { byId: false }),
  ];
  process.stdout.write(`${n.toLocaleString("en-US").padStart(9)}  ${cells.map((ms) => `${ms.toFixed(0)} ms`.padStart(8)).join("  ")}\n`);
}
