import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RunColumns } from "../lim/run-columns";
import type { StepAggregate } from "../lim/types";

/** Test fixtures for ingest: temp dirs of step files and a naive JSON.parse-based reference count. */

export interface Rollout {
  prompt: string;
  response: string;
  reward: number;
  response_length: number;
}

export function tempDir(tag = "lim-ingest-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), tag));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes step_N.json files (pretty-printed, indent 4, as OpenRLHF does) or raw text per step. */
export function writeSteps(dir: string, steps: Record<number, Rollout[] | string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [step, content] of Object.entries(steps)) {
    writeFileSync(path.join(dir, `step_${step}.json`), typeof content === "string" ? content : JSON.stringify(content, null, 4));
  }
  return dir;
}

export function rollout(prompt: string, reward: number, response = `answer ${reward}`, responseLength = response.length): Rollout {
  return { prompt, response, reward, response_length: responseLength };
}

/** Per trimmed prompt and step: what a naive reader that JSON.parses every file counts. */
export function naiveAggregates(dir: string): Map<string, StepAggregate[]> {
  const out = new Map<string, StepAggregate[]>();
  const files = readdirSync(dir)
    .map((f) => /^step_(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), file: path.join(dir, m[0]) }))
    .sort((a, b) => a.step - b.step);
  for (const { step, file } of files) {
    for (const r of JSON.parse(readFileSync(file, "utf8")) as Rollout[]) {
      const key = r.prompt.trim();
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      let agg = list.find((a) => a.step === step);
      if (!agg) list.push((agg = { step, rollouts: 0, rewardSum: 0, responseLengthSum: 0, rewards: [] }));
      agg.rollouts++;
      agg.rewardSum += r.reward;
      agg.responseLengthSum += r.response_length;
      const rc = agg.rewards.find((x) => x.reward === r.reward);
      if (rc) rc.count++;
      else agg.rewards.push({ reward: r.reward, count: 1 });
    }
  }
  return out;
}

/** Aggregates in a canonical form (rewards sorted) for deepEqual. */
export function canonical(aggs: readonly StepAggregate[]): StepAggregate[] {
  return [...aggs]
    .sort((a, b) => a.step - b.step)
    .map((a) => ({ ...a, rewards: [...a.rewards].sort((x, y) => x.reward - y.reward) }));
}

/**
 * Every prompt's stored per-step aggregates (steps ascending), read back from a run's
 * columns loaded with sums: what a test compares with a naive count.
 */
export function aggregatesByPrompt(c: RunColumns): StepAggregate[][] {
  if (!c.rewardSum || !c.lengthSum) throw new Error("aggregatesByPrompt: load the columns with { withSums: true }");
  const out: StepAggregate[][] = Array.from({ length: c.promptCount }, () => []);
  for (let b = 0; b < c.stepNumber.length; b++) {
    for (let r = c.stepStart[b]; r < c.stepStart[b + 1]; r++) {
      const rewards = [];
      for (let e = c.entryStart[r]; e < c.entryStart[r + 1]; e++) rewards.push({ reward: c.rewardValue[e], count: c.rewardCount[e] });
      out[c.ordinal[r]].push({ step: c.stepNumber[b], rollouts: c.rollouts[r], rewardSum: c.rewardSum[r], responseLengthSum: c.lengthSum[r], rewards });
    }
  }
  return out;
}
