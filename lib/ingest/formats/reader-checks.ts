import assert from "node:assert/strict";
import { getRun, loadRunColumns, loadSamples } from "../../db";
import type { RunRecord } from "../../db/types";
import { promptStepCounts } from "../../lim/run-columns";
import type { LogFields } from "./log-fields";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { formatReader } from "./readers";

/** Test support for the log readers: a naive recount to compare a stored run against. */

/** One rollout as a test recounts it from the generated data. */
export interface NaiveRollout {
  /** The prompt key the run should hold (trimmed text). */
  key: string;
  step: number;
  reward: number;
  responseLength: number;
  success: boolean;
}

interface Agg {
  rollouts: number;
  rewardSum: number;
  responseLengthSum: number;
  successes: number;
}

/**
 * Asserts that the stored run holds exactly the naive recount: its totals, its prompts, and
 * per prompt and step the rollouts, reward sum, response length sum and successes as
 * scoring counts them (the stored histogram, by the run's success rule).
 */
export async function assertRunMatches(name: string, rollouts: readonly NaiveRollout[], successReward = 1): Promise<RunRecord> {
  const run = await getRun(name);
  assert.ok(run, `run ${name} exists`);
  const want = new Map<string, Map<number, Agg>>();
  for (const r of rollouts) {
    let per = want.get(r.key);
    if (!per) want.set(r.key, (per = new Map()));
    let a = per.get(r.step);
    if (!a) per.set(r.step, (a = { rollouts: 0, rewardSum: 0, responseLengthSum: 0, successes: 0 }));
    a.rollouts++;
    a.rewardSum += r.reward;
    a.responseLengthSum += r.responseLength;
    if (r.success) a.successes++;
  }
  assert.equal(run.rolloutCount, rollouts.length, "rollouts");
  assert.equal(run.stepCount, new Set(rollouts.map((r) => r.step)).size, "steps");
  assert.equal(run.sampleCount, want.size, "prompts");
  const samples = await loadSamples(run.id);
  assert.equal(samples.length, want.size);
  const columns = await loadRunColumns(run.id, samples.length, { withSums: true });
  for (const s of samples) {
    const per = want.get(s.prompt);
    assert.ok(per, `unexpected prompt ${JSON.stringify(s.prompt.slice(0, 80))}`);
    const got = promptStepCounts(columns, s.ordinal, successReward, run.successRule);
    assert.deepEqual(
      got.map((g) => g.step),
      [...per.keys()].sort((a, b) => a - b),
      s.prompt,
    );
    for (const g of got) {
      const w: Agg = per.get(g.step)!;
      assert.equal(g.rollouts, w.rollouts);
      assert.ok(Math.abs(g.rewardSum - w.rewardSum) < 1e-9, `reward sum ${g.rewardSum} vs ${w.rewardSum}`);
      assert.equal(g.responseLengthSum, w.responseLengthSum);
      assert.equal(g.successes, w.successes, `successes of ${s.prompt.slice(0, 40)} at step ${g.step}`);
    }
  }
  return run;
}

/** Every batch a format's reader yields for a path (no database). */
export async function readAll(format: string, path: string, o: { fields?: LogFields; successReward?: number; keepExamples?: number; onMessage?: (m: string) => void } = {}): Promise<PackedStepBatch[]> {
  const reader = formatReader(format);
  const listing = reader.locate(path);
  const out: PackedStepBatch[] = [];
  for await (const b of reader.read(listing.files, { successReward: o.successReward ?? 1, keepExamples: o.keepExamples ?? 0, pool: Promise.resolve(null), fields: o.fields, onMessage: o.onMessage })) out.push(b);
  return out;
}
