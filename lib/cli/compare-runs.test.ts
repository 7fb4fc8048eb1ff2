import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { tempDir } from "../ingest/test-helpers";
import { runCli } from "./run-cli";
import { writeLog, writeRows } from "./test-logs";

/*
 * Two runs of 2 epochs, accuracies per epoch (wins of 2 rollouts / 2):
 *   run a: P [0, 1], Q [0, 1], R [0, 0], S [0, 0.5], U step 1 only (excluded: epoch 2 missing)
 *   run b: P [0, 0], Q [0, 1], R [0, 1], T [0, 0.5]
 * Each run: avg = [0, 2.5/4 = 0.625], denominator (1 - 0)^2 + (1 - 0.625)^2 = 73/64, so
 *   [0, 1] -> 1 - (0.375^2)/(73/64) = 1 - 9/73 = 64/73 (0.877), [0, 0] -> 1 - 25/73 = 48/73 (0.658),
 *   [0, 0.5] -> 1 - 1/73 = 72/73 (0.986).
 * a: P 64/73, Q 64/73, R 48/73, S 72/73;  b: P 48/73, Q 64/73, R 64/73, T 72/73.
 * Joined: P, Q, R (S not in b, T not in a, U not scored in a). Ranks: a [2.5, 2.5, 1], b [1, 2.5, 2.5],
 * means 2; dx [0.5, 0.5, -1], dy [-1, 0.5, 0.5]: sxy = -0.5 + 0.25 - 0.5 = -0.75, sxx = syy = 1.5: rho = -0.5.
 * At 0.6 every scored prompt is selected (both 3); at 0.7 a keeps P, Q, S and b keeps Q, R, T:
 * both Q, only a P, only b R.
 */
describe("lim compare-runs", () => {
  let db: TempDatabase;
  const tmp = tempDir("lim-compare-runs-");
  before(async () => {
    db = await useTempDatabase();
    const la = path.join(tmp.dir, "a.jsonl");
    const lb = path.join(tmp.dir, "b.jsonl");
    writeLog(la, { P: [0, 2], Q: [0, 2], R: [0, 0], S: [0, 1], U: [2] });
    writeLog(lb, { P: [0, 0], Q: [0, 2], R: [0, 2], T: [0, 1] });
    for (const [name, log] of [["a", la], ["b", lb]]) {
      const r = await runCli(["ingest", log, "--name", name, "--steps-per-epoch", "1"]);
      assert.equal(r.code, 0, r.stderr);
    }
    // By id: the same ids under other texts in each log and each dataset.
    const ids = { P: "1", Q: "2", R: "3" };
    for (const [name, tag, wins] of [["ia", "small", { P: [0, 2], Q: [0, 2], R: [0, 0] }], ["ib", "large", { P: [0, 0], Q: [0, 2], R: [0, 2] }]] as const) {
      const log = path.join(tmp.dir, `${name}.jsonl`);
      const data = path.join(tmp.dir, `${name}-data.jsonl`);
      writeLog(log, Object.fromEntries(Object.entries(wins).map(([p, w]) => [`${p} ${tag}`, w])), Object.fromEntries(Object.entries(ids).map(([p, id]) => [`${p} ${tag}`, id])));
      writeRows(data, Object.entries(ids).map(([p, id]) => ({ id: Number(id), prompt: `${p} for the ${tag} model` })));
      const r = await runCli(["ingest", log, "--name", name, "--steps-per-epoch", "1", "--id-field", "id", "--dataset", data]);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(async () => {
    await db.cleanup();
    tmp.cleanup();
  });

  it("joins by text and counts as computed by hand", async () => {
    const r = await runCli(["compare-runs", "a", "b", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      a: "a", b: "b", joined: 3, spearman: -0.5,
      both_selected: 3, only_a_selected: 0, only_b_selected: 0, a_selected: 4, b_selected: 4, unjoined_a: 1, unjoined_b: 1,
    });
    const high = JSON.parse((await runCli(["compare-runs", "a", "b", "--threshold", "0.7", "--json"])).stdout);
    assert.deepEqual([high.both_selected, high.only_a_selected, high.only_b_selected, high.a_selected, high.b_selected], [1, 1, 1, 3, 3]);
    const text = await runCli(["compare-runs", "a", "b"]);
    assert.match(text.stdout, /joined by prompt text/);
    assert.match(text.stdout, /spearman \(LIM scores, ties averaged\)\s+-0\.5000/);
  });

  it("joins by dataset id when both runs are identified by id", async () => {
    const r = await runCli(["compare-runs", "ia", "ib", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    // Each: avg [0, 2/3], denominator 10/9; [0, 1] -> 1 - (1/9)/(10/9) = 0.9, [0, 0] -> 1 - (4/9)/(10/9) = 0.6.
    // ia: P 0.9, Q 0.9, R 0.6; ib: P 0.6, Q 0.9, R 0.9: the ranks of the text case again, rho -0.5.
    assert.deepEqual([s.joined, s.spearman, s.unjoined_a, s.unjoined_b], [3, -0.5, 0, 0]);
    // By text nothing joins: the runs' stored texts are their own datasets' questions.
    const mixed = JSON.parse((await runCli(["compare-runs", "a", "ib", "--json"])).stdout);
    assert.equal(mixed.joined, 0);
    assert.equal(mixed.spearman, null);
  });

  it("names an unknown run (exit 1) and refuses bad flags (exit 2)", async () => {
    const missing = await runCli(["compare-runs", "a", "nope"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run named "nope"/);
    assert.equal((await runCli(["compare-runs", "a"])).code, 2);
    assert.equal((await runCli(["compare-runs", "a", "b", "--threshold", "x"])).code, 2);
    assert.equal((await runCli(["compare-runs", "a", "b", "--top", "3"])).code, 2);
  });
});
