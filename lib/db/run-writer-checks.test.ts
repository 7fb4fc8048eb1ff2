import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { blocksFromPrompts } from "../lim/run-columns";
import { appendRun, getRun, listRuns, writeRun } from "./index";
import { testRun, useTempDatabase, type TempDatabase } from "./test-db";

let tmp: TempDatabase;
before(async () => {
  tmp = await useTempDatabase();
});
after(() => tmp.cleanup());

const agg = (step: number) => ({ step, rollouts: 2, rewardSum: 1, responseLengthSum: 20, rewards: [{ reward: 1, count: 1 }, { reward: 0, count: 1 }] });
const sample = (ordinal: number) => ({ ordinal, prompt: `p${ordinal}`, publishedScore: null, datasetRowIndex: null });

test("a step block naming a prompt the run has no sample for is refused at commit, and nothing is written", async () => {
  await assert.rejects(
    writeRun(testRun("orphan"), async (w) => {
      await w.addStepBlocks(blocksFromPrompts([[agg(1)], [], [agg(1)]])); // ordinal 2
      await w.addSamples([sample(0)]);
    }),
    /step block names prompt ordinal 2, but the run has 1 prompts/,
  );
  assert.equal(await getRun("orphan"), null);

  const ok = await writeRun(testRun("grows", { lastStep: 1 }), async (w) => {
    await w.addSamples([sample(0)]);
    await w.addStepBlocks(blocksFromPrompts([[agg(1)]]));
  });
  await assert.rejects(
    appendRun("grows", async (a) => {
      await a.addStepBlocks(blocksFromPrompts([[agg(2)], [agg(2)]]));
      return { lastStep: 2 };
    }),
    /ordinal 1, but the run has 1 prompts/,
  );
  assert.equal((await getRun("grows"))!.lastStep, 1, "the append rolled back");
  assert.deepEqual((await listRuns()).map((r) => r.id), [ok.id]);
});

test("an example with a field that is not a whole number is refused, naming the field", async () => {
  await assert.rejects(
    writeRun(testRun("bad-example"), async (w) => {
      await w.addSamples([sample(0)]);
      await w.addExamples([{ sampleOrdinal: 0, step: 1, epoch: 1, reward: 1, success: true, responseLength: 1.5, response: "x" }]);
    }),
    /addExamples failed at element 0 of 1: an example's responseLength must be an integer, got 1.5/,
  );
  assert.equal(await getRun("bad-example"), null);
});
