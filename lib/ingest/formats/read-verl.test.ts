import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../cli/run-cli";
import { scoreRun } from "../../runs/score-run";
import { generateVerl, type GeneratedVerlRun } from "../../demo/generate-verl";
import { getExamples, getRun, listRuns, loadRunColumns, loadSamples } from "../../db";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { sampleScore } from "../../lim/lim-score";
import { promptStepCounts } from "../../lim/run-columns";
import { IngestError } from "../errors";
import { ingestRun } from "../ingest-run";
import { aggregatesByPrompt, tempDir } from "../test-helpers";

let db: TempDatabase;
const tmp = tempDir("lim-verl-");
let gen: GeneratedVerlRun;

before(async () => {
  db = await useTempDatabase();
  gen = generateVerl({ dir: path.join(tmp.dir, "rollouts"), prompts: 40, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, seed: 7 });
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

interface Line {
  input: string;
  output: string;
  score: number;
  acc?: boolean;
}

/** What a naive reader counts per trimmed prompt and step: rollouts, score sum, output length sum, successes. */
function naive(dir: string, successReward = 1): Map<string, Map<number, { rollouts: number; rewardSum: number; responseLengthSum: number; successes: number }>> {
  const out = new Map<string, Map<number, { rollouts: number; rewardSum: number; responseLengthSum: number; successes: number }>>();
  const steps = readdirSync(dir).map((f) => Number(/^(\d+)\.jsonl$/.exec(f)![1])).sort((a, b) => a - b);
  for (const step of steps) {
    for (const l of readFileSync(path.join(dir, `${step}.jsonl`), "utf8").split("\n").filter(Boolean)) {
      const r = JSON.parse(l) as Line;
      const key = r.input.trim();
      let per = out.get(key);
      if (!per) out.set(key, (per = new Map()));
      let a = per.get(step);
      if (!a) per.set(step, (a = { rollouts: 0, rewardSum: 0, responseLengthSum: 0, successes: 0 }));
      a.rollouts++;
      a.rewardSum += r.score;
      a.responseLengthSum += r.output.length;
      if (r.acc ?? r.score >= successReward) a.successes++;
    }
  }
  return out;
}

function writeJsonl(dir: string, files: Record<number, (Record<string, unknown> | string)[]>): string {
  mkdirSync(dir, { recursive: true });
  for (const [step, rows] of Object.entries(files)) {
    writeFileSync(path.join(dir, `${step}.jsonl`), rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r)) + "\n").join(""));
  }
  return dir;
}

describe("ingesting verl rollout_data_dir logs", () => {
  test("lim ingest --format verl stores aggregates equal to a naive count, successes from acc; lim score works", async () => {
    const ing = await runCli(["ingest", gen.dir, "--format", "verl", "--name", "verl-gen", "--steps-per-epoch", "3"]);
    assert.equal(ing.code, 0, ing.stderr);
    const run = (await getRun("verl-gen"))!;
    assert.equal(run.format, "verl");
    assert.equal(run.rolloutCount, gen.rollouts);
    assert.equal(run.stepCount, gen.steps);
    assert.equal(run.bytesRead, gen.bytes);
    assert.equal(run.sampleCount, gen.questions.length);

    const expected = naive(gen.dir);
    const samples = await loadSamples(run.id);
    assert.equal(samples.length, expected.size);
    let accScoreDisagree = 0;
    const columns = await loadRunColumns(run.id, samples.length, { withSums: true });
    const stored = aggregatesByPrompt(columns);
    for (const s of samples) {
      const want = expected.get(s.prompt)!;
      assert.ok(want, `unexpected prompt ${s.prompt}`);
      const aggs = stored[s.ordinal];
      const counts = promptStepCounts(columns, s.ordinal, 1, run.successRule);
      assert.deepEqual(aggs.map((a) => a.step), [...want.keys()]);
      aggs.forEach((a, i) => {
        const w = want.get(a.step)!;
        assert.equal(a.rollouts, w.rollouts);
        assert.equal(a.rewardSum, w.rewardSum);
        assert.equal(a.responseLengthSum, w.responseLengthSum);
        assert.equal(counts[i].successes, w.successes, `${s.prompt} step ${a.step}`);
      });
    }
    // The fixture must actually exercise acc overriding the score (0.8 successes, 1.0 failures).
    for (const f of readdirSync(gen.dir)) {
      for (const l of readFileSync(path.join(gen.dir, f), "utf8").split("\n").filter(Boolean)) {
        const r = JSON.parse(l) as Line;
        if (r.acc !== r.score >= 1) accScoreDisagree++;
      }
    }
    assert.ok(accScoreDisagree > 10, `only ${accScoreDisagree} rollouts where acc and score disagree`);

    const sc = await runCli(["score", "verl-gen", "--json"]);
    assert.equal(sc.code, 0, sc.stderr);
    const summary = JSON.parse(sc.stdout) as { prompts: number; scored: number; average: number[] };
    assert.equal(summary.prompts, gen.questions.length);
    assert.ok(summary.scored > 0);
    assert.equal(summary.average.length, 4);
    // Each prompt's epoch accuracy as scoring sees it is its naive acc rate in that epoch.
    const scored = await scoreRun("verl-gen");
    scored.prompts.forEach((p, i) => {
      const per = [...expected.get(p)!];
      const rate = [1, 2, 3, 4].map((k) => {
        const inEpoch = per.filter(([step]) => Math.ceil(step / 3) === k).map(([, a]) => a);
        return inEpoch.reduce((x, a) => x + a.successes, 0) / inEpoch.reduce((x, a) => x + a.rollouts, 0);
      });
      assert.deepEqual(sampleScore(scored.lim!, i).accuracy, rate, p);
    });
  });

  test("acc decides success; without acc, score >= the success reward; examples keep the true score", async () => {
    const dir = writeJsonl(path.join(tmp.dir, "acc"), {
      1: [
        { input: "Q ", output: "a", score: 0.8, step: 1, acc: true },
        { input: "Q", output: "bb", score: 1, step: 1, acc: false },
        { input: "Q", output: "ccc", score: 0, step: 1, acc: false },
        { input: "R", output: "d", score: 1.5, step: 1 },
        { input: "R", output: "e", score: 0.5, step: 1 },
      ],
    });
    const run = await ingestRun({ path: dir, name: "acc", format: "verl", stepsPerEpoch: 1, keepExamples: 3, workers: 0 });
    const [q, r] = await loadSamples(run.id);
    assert.equal(q.prompt, "Q");
    assert.equal(run.successRule, "logged");
    const columns = await loadRunColumns(run.id, 2, { withSums: true });
    assert.deepEqual(promptStepCounts(columns, q.ordinal, 1, "logged"), [{ step: 1, rollouts: 3, successes: 1, rewardSum: 1.8, responseLengthSum: 6 }]);
    assert.deepEqual(promptStepCounts(columns, r.ordinal, 1, "logged"), [{ step: 1, rollouts: 2, successes: 1, rewardSum: 2, responseLengthSum: 2 }]);
    const ex = await getExamples(run.id, q.ordinal);
    assert.deepEqual(
      ex.map((e) => [e.response, e.reward, e.success]),
      [
        ["a", 0.8, true],
        ["bb", 1, false],
        ["ccc", 0, false],
      ],
    );
  });

  for (const [what, line, pattern] of [
    ["bad JSON", '{"input": "Q", "score": ', /2\.jsonl:3: not valid JSON/],
    ["missing input", '{"output": "x", "score": 1}', /2\.jsonl:3: field "input" is missing/],
    ["missing score", '{"input": "Q", "output": "x"}', /2\.jsonl:3: field "score" is missing/],
    ["non-finite score", '{"input": "Q", "output": "x", "score": 1e999}', /2\.jsonl:3: field "score" must be a finite number, got a number \(Infinity\)/],
    ["string score", '{"input": "Q", "output": "x", "score": "1"}', /2\.jsonl:3: field "score" must be a finite number, got a string \("1"\); it is a number written as text/],
    ["raw tab in input", '{"input": "Q\tR", "output": "x", "score": 1}', /2\.jsonl:3: field "input" holds a raw control character U\+0009 \(tab\)/],
  ] as const) {
    test(`${what} names file, line and field and leaves no run`, async () => {
      const ok = { input: "Q", output: "x", score: 1, step: 2 };
      const dir = writeJsonl(path.join(tmp.dir, what.replace(/ /g, "-")), { 1: [{ ...ok, step: 1 }], 2: [ok, ok, line, ok] });
      const before = (await listRuns()).length;
      await assert.rejects(ingestRun({ path: dir, name: "bad", format: "verl", stepsPerEpoch: 1, workers: 0 }), (e: Error) => {
        assert.ok(e instanceof IngestError);
        assert.match(e.message, pattern);
        assert.ok(e.message.startsWith(path.join(dir, "2.jsonl")), e.message);
        return true;
      });
      assert.equal(await getRun("bad"), null);
      assert.equal((await listRuns()).length, before);
    });
  }

  test("the CLI reports a bad line with file and line, exit code non-zero", async () => {
    const dir = writeJsonl(path.join(tmp.dir, "cli-bad"), { 1: [{ input: "Q", score: 1 }, '{"input": "Q"}'] });
    const r = await runCli(["ingest", dir, "--format", "verl", "--name", "cli-bad"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /1\.jsonl:2: field "score" is missing/);
    assert.equal(await getRun("cli-bad"), null);
  });

  test("a directory without N.jsonl files says what it looked for", async () => {
    const dir = writeJsonl(path.join(tmp.dir, "empty"), {});
    await assert.rejects(ingestRun({ path: dir, name: "none", format: "verl", workers: 0 }), /no N\.jsonl files found/);
  });
});
