import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { tempDir } from "../ingest/test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-export-id-");
before(async () => {
  db = await useTempDatabase();
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

/*
 * Two dataset rows ask the same question under different ids (a dataset with a repeated
 * question). Logged by id, they are two prompts: "a" learns, "b" never does; "c" learns too.
 * 1 step per epoch, 2 epochs: a [0, 1], b [0, 0], c [0, 1] -> avg [0, 2/3], denominator 10/9,
 * s_a = s_c = 1 - (1/9)/(10/9) = 0.9, s_b = 1 - (4/9)/(10/9) = 0.6.
 */
test("a run identified by id exports the rows of its selected ids, not every row sharing their question", async () => {
  const log = path.join(tmp.dir, "rollouts.jsonl");
  const rows = [
    ...["a", "c"].flatMap((id) => [1, 2].flatMap((step) => [0, 1].map(() => ({ id, prompt: id === "c" ? "Q2" : "Q", step, reward: step === 2 ? 1 : 0 })))),
    ...[1, 2].flatMap((step) => [0, 1].map(() => ({ id: "b", prompt: "Q", step, reward: 0 }))),
  ];
  writeFileSync(log, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const dataset = path.join(tmp.dir, "data.jsonl");
  const data = [{ id: "a", prompt: "Q" }, { id: "b", prompt: "Q" }, { id: "c", prompt: "Q2" }];
  writeFileSync(dataset, data.map((r) => JSON.stringify(r)).join("\n") + "\n");

  const ingest = await runCli(["ingest", log, "--name", "by-id", "--steps-per-epoch", "1", "--id-field", "id", "--dataset", dataset]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const scores = await runCli(["export", "by-id", "--threshold=-100", "--with-scores"]);
  assert.deepEqual(
    scores.stdout.trimEnd().split("\n").map((l) => JSON.parse(l)).map((r) => [r.id, Math.round(r.lim_score * 100) / 100]),
    [["a", 0.9], ["b", 0.6], ["c", 0.9]],
  );
  const kept = await runCli(["export", "by-id", "--threshold", "0.7"]);
  assert.equal(kept.code, 0, kept.stderr);
  assert.deepEqual(kept.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id), ["a", "c"]);
});
