import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { generateRun } from "../demo/generate-run";
import { ingestRun } from "../ingest/ingest-run";
import { tempDir } from "../ingest/test-helpers";
import { scoreRun, type ScoredRun } from "../runs/score-run";
import { selectRun } from "../runs/run-methods";
import { methodExportSelection } from "./method-selection";
import { exportLines, type ExportOptions } from "./export-lines";

/*
 * The web server scores a run without its prompts' texts (a million are ~280 MB of strings) and
 * the export reads them from the stored blocks: every export must be the very lines the CLI's
 * export writes from a run scored with them.
 */
let db: TempDatabase;
const tmp = tempDir("lim-export-stored-");
before(async () => {
  db = await useTempDatabase();
  const gen = await generateRun({ dir: tmp.dir, prompts: 3000, epochs: 4, stepsPerEpoch: 2, promptsPerStep: 1500, rolloutsPerPrompt: 4, responseBytes: 20, seed: 5, duplicateRows: 40, unseenRows: 30 });
  await ingestRun({ path: gen.trainDir, name: "by-text", stepsPerEpoch: 2, dataset: { file: gen.datasetFile } });
  await ingestRun({ path: gen.trainDir, name: "no-dataset", stepsPerEpoch: 2 });
  // By id: two ids ask one question; the later id's prompt takes the row they share.
  const log = path.join(tmp.dir, "rollouts.jsonl");
  const ids = Array.from({ length: 300 }, (_, i) => i);
  const reward = (i: number, step: number) => ((i * 7 + step * 3) % 5 < 2 + (step > 2 ? 1 : 0) ? 1 : 0);
  const lines = [1, 2, 3, 4].flatMap((step) => ids.flatMap((i) => [0, 1].map((k) => JSON.stringify({ id: `q${i}`, prompt: `Question ${i % 250}`, step, reward: reward(i + k, step) }))));
  writeFileSync(log, lines.join("\n") + "\n");
  const dataset = path.join(tmp.dir, "by-id.jsonl");
  writeFileSync(dataset, ids.map((i) => JSON.stringify({ id: `q${i}`, prompt: `Question ${i % 250}` })).join("\n") + "\n");
  const ingest = await runCli(["ingest", log, "--name", "by-id", "--steps-per-epoch", "1", "--id-field", "id", "--dataset", dataset]);
  assert.equal(ingest.code, 0, ingest.stderr);
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

async function lines(scored: ScoredRun, opts: ExportOptions): Promise<string> {
  let s = "";
  for await (const l of exportLines(scored, opts)) s += l;
  return s;
}

for (const name of ["by-text", "no-dataset", "by-id"]) {
  test(`${name}: the export of a run scored without its texts is the export of one scored with them`, async () => {
    const held = await scoreRun(name);
    const read = await scoreRun(name, {}, { withPrompts: false });
    assert.equal(read.prompts.length, 0);
    for (const threshold of [-1, 0.2, 0.6, 0.95]) {
      for (const withScores of [false, true]) {
        const expected = await lines(held, { threshold, withScores });
        assert.ok(threshold > 0.9 || expected.length > 0, `${name} at ${threshold} writes rows`);
        assert.equal(await lines(read, { threshold, withScores }), expected, `${name}, threshold ${threshold}, withScores ${withScores}`);
      }
    }
    const choice = { method: "variance" as const, rule: { kind: "top" as const, n: 100 } };
    const opts = (s: ScoredRun) => ({ threshold: 0.6, withScores: true, selection: methodExportSelection(selectRun(s, choice)), order: { score: selectRun(s, choice).scores.score, descending: true } });
    assert.equal(await lines(read, opts(read)), await lines(held, opts(held)), `${name}, top 100 by variance, as a curriculum`);
  });
}
