import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { compareScores } from "../export/export-lines";
import { rowWeights } from "../export/row-weights";
import { tempDir } from "../ingest/test-helpers";
import { runCli } from "./run-cli";
import { writeLog, writeRows } from "./test-logs";

const ids = (stdout: string) => stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id);
const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

/*
 * Run c, 2 epochs, accuracies: A [0, 1], B [0, 0], C [0.5, 1], D [1, 1]; its dataset rows (ids 1..6)
 * are A, B, C, D, B, E (E never logged).
 *   avg = [1.5/4, 3/4] = [0.375, 0.75]; denominator 0.625^2 + 0.25^2 = 29/64
 *   LIM: A 1 - (0.375^2 + 0.25^2)/(29/64) = 1 - 13/29 = 16/29;  B 1 - (0.375^2 + 0.75^2)/(29/64) = 1 - 45/29 = -16/29
 *        C 1 - (0.125^2 + 0.25^2)/(29/64) = 1 - 5/29 = 24/29;   D 1 - (0.625^2 + 0.25^2)/(29/64) = 0
 *   pass-rate (mean): A 0.5, B 0, C 0.75, D 1.
 * Run t (the "large model"), dataset rows ids 10..13: C, A, F, A; its log has A, C and F.
 */
describe("hand-off: curriculum, weights and transfer", () => {
  let db: TempDatabase;
  const tmp = tempDir("lim-hand-off-");
  const file = (n: string) => path.join(tmp.dir, n);
  before(async () => {
    db = await useTempDatabase();
    writeLog(file("c.jsonl"), { A: [0, 2], B: [0, 0], C: [1, 2], D: [2, 2] });
    writeRows(file("c-data.jsonl"), ["A", "B", "C", "D", "B", "E"].map((prompt, i) => ({ id: i + 1, prompt })));
    writeLog(file("t.jsonl"), { A: [0, 1], C: [1, 1], F: [2, 2] });
    writeRows(file("t-data.jsonl"), ["C", "A", "F", "A"].map((prompt, i) => ({ id: i + 10, prompt })));
    writeLog(file("bare.jsonl"), { A: [0, 2], B: [0, 0] });
    for (const [name, log, data] of [["c", "c.jsonl", "c-data.jsonl"], ["t", "t.jsonl", "t-data.jsonl"], ["bare", "bare.jsonl", null]] as const) {
      const r = await runCli(["ingest", file(log), "--name", name, "--steps-per-epoch", "1", ...(data ? ["--dataset", file(data)] : [])]);
      assert.equal(r.code, 0, r.stderr);
    }
    // By id: c's prompts under ids "1".."4".
    writeLog(file("ic.jsonl"), { A: [0, 2], B: [0, 0], C: [1, 2], D: [2, 2] }, { A: "1", B: "2", C: "3", D: "4" });
    const r = await runCli(["ingest", file("ic.jsonl"), "--name", "ic", "--steps-per-epoch", "1", "--id-field", "id", "--dataset", file("c-data.jsonl")]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await db.cleanup();
    tmp.cleanup();
  });

  it("orders a curriculum by a method's score, stable, in either direction", async () => {
    const plain = await runCli(["export", "c", "--threshold=-1"]);
    assert.deepEqual(ids(plain.stdout), [1, 2, 3, 4, 5]);
    // pass-rate ascending: B (rows 2 and 5, in dataset order), A, C, D
    assert.deepEqual(ids((await runCli(["export", "c", "--threshold=-1", "--order-by", "pass-rate"])).stdout), [2, 5, 1, 3, 4]);
    // descending, easy to hard: D, C, A, then B's two rows still in dataset order
    assert.deepEqual(ids((await runCli(["export", "c", "--threshold=-1", "--order-by", "pass-rate", "--descending"])).stdout), [4, 3, 1, 2, 5]);
    // LIM ascending: B -16/29, D 0, A 16/29, C 24/29
    assert.deepEqual(ids((await runCli(["export", "c", "--threshold=-1", "--order-by", "lim"])).stdout), [2, 5, 4, 1, 3]);
    // linear needs 3 epochs: no prompt has a score, every row is "last", dataset order stays
    assert.deepEqual(ids((await runCli(["export", "c", "--threshold=-1", "--order-by", "linear"])).stdout), [1, 2, 3, 4, 5]);
    // the selection is the method's (LIM >= 0.5: A, C), the order another's
    const json = await runCli(["export", "c", "--threshold", "0.5", "--order-by", "pass-rate", "--descending", "--format", "json"]);
    assert.deepEqual(JSON.parse(json.stdout).map((r: { id: number }) => r.id), [3, 1]);
  });

  it("puts rows without a score last and keeps ties in their order", () => {
    const scores = [0.5, NaN, 0.2, 0.5, NaN, 0.1];
    const asc = scores.map((_, i) => i).sort((a, b) => compareScores(scores[a], scores[b], false));
    const desc = scores.map((_, i) => i).sort((a, b) => compareScores(scores[a], scores[b], true));
    assert.deepEqual(asc, [5, 2, 0, 3, 1, 4]);
    assert.deepEqual(desc, [0, 3, 2, 5, 1, 4]);
  });

  it("records the order in the manifest and refuses a bad order", async () => {
    const out = file("curriculum.jsonl");
    const r = await runCli(["export", "c", "--threshold=-1", "--order-by", "pass-rate", "--descending", "--out", out, "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    assert.equal(m.order.by, "pass-rate");
    assert.equal(m.order.descending, true);
    assert.match(m.reproduce, /--order-by pass-rate --descending/);
    const plain = file("plain.jsonl");
    await runCli(["export", "c", "--out", plain, "--manifest"]);
    assert.equal(JSON.parse(readFileSync(`${plain}.manifest.json`, "utf8")).order, undefined);
    assert.equal((await runCli(["export", "c", "--descending"])).code, 2);
    assert.equal((await runCli(["export", "c", "--order-by", "hardness"])).code, 2);
  });

  it("weighs every dataset row by the formula", async () => {
    // LIM clipped at 0: A 16/29, B 0, C 24/29, D 0, B 0 over 5 scored rows: mean 40/145 = 8/29.
    // w: A 2, B 0, C 3, D 0, B 0; E has no score: the floor, 0.
    const r = await runCli(["weights", "c", "--by", "lim"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => [x.row, x.id]), [0, 1, 2, 3, 4, 5].map((i) => [i, null]));
    [2, 0, 3, 0, 0, 0].forEach((w, i) => assert.ok(close(rows[i].weight, w), `row ${i}: ${rows[i].weight}`));
    assert.match(r.stderr, /6 weights as jsonl \(by lim; 5 rows scored, 1 at the floor 0\)/);
    // pass-rate: A 0.5, B 0, C 0.75, D 1, B 0, mean 2.25/5 = 0.45: 10/9, 0, 5/3, 20/9, 0; E the floor 0.5
    const csv = await runCli(["weights", "c", "--by", "pass-rate", "--floor", "0.5", "--format", "csv"]);
    const lines = csv.stdout.trimEnd().split("\n");
    assert.equal(lines[0], "row,id,weight");
    const w = lines.slice(1).map((l) => Number(l.split(",")[2]));
    [10 / 9, 0, 5 / 3, 20 / 9, 0, 0.5].forEach((x, i) => assert.ok(close(w[i], x), `row ${i}: ${w[i]}`));
    // by id: the dataset's ids
    const byId = (await runCli(["weights", "ic", "--by", "lim"])).stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id);
    assert.deepEqual(byId, ["1", "2", "3", "4", "5", "6"]);
  });

  it("weights: the pure formula's edge cases", () => {
    assert.deepEqual([...rowWeights([0, -1, NaN], 0.25)], [1, 1, 0.25]); // every clipped score 0: scored rows weigh 1
    assert.deepEqual([...rowWeights([])], []);
  });

  it("weights: bad flags exit 2, a run without a dataset or unknown exits 1", async () => {
    assert.equal((await runCli(["weights", "c"])).code, 2);
    assert.equal((await runCli(["weights", "c", "--by", "hardness"])).code, 2);
    assert.equal((await runCli(["weights", "c", "--by", "lim", "--floor=-1"])).code, 2);
    assert.equal((await runCli(["weights", "c", "--by", "lim", "--format", "parquet"])).code, 2);
    assert.equal((await runCli(["weights", "c", "--by", "lim", "--threshold", "0.5"])).code, 2);
    assert.equal((await runCli(["weights", "c", "--by", "lim", "--seed", "3"])).code, 2);
    const bare = await runCli(["weights", "bare", "--by", "lim"]);
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /no dataset/);
    const missing = await runCli(["weights", "nope", "--by", "lim"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run named "nope"/);
  });

  it("transfers a selection to another run's dataset rows and says how many it has", async () => {
    // c at 0.5 selects A and C; t's rows of A or C, in t's dataset order: 10 (C), 11 (A), 13 (A)
    const r = await runCli(["transfer", "c", "--to", "t", "--threshold", "0.5", "--with-scores"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => [x.id, x.prompt]), [[10, "C"], [11, "A"], [13, "A"]]);
    [24 / 29, 16 / 29, 16 / 29].forEach((s, i) => assert.ok(close(rows[i].lim_score, s)));
    assert.match(r.stderr, /t has 2 of the 2 prompts c selects \(joined by prompt text\)/);
    // at -1 c selects A, B, C, D: t has A and C
    const all = await runCli(["transfer", "c", "--to", "t", "--threshold=-1"]);
    assert.deepEqual(ids(all.stdout), [10, 11, 13]);
    assert.match(all.stderr, /t has 2 of the 4 prompts c selects; 2 are not in its dataset/);
    // the rows are exactly the ones `lim export t` writes for those prompts
    const own = await runCli(["export", "t", "--threshold=-100"]);
    const t = own.stdout.split("\n");
    assert.equal(all.stdout, [t[0], t[1], t[3]].join("\n") + "\n");
    // a method's own rule: pass-rate keeps 0 < score < 1, A and C
    assert.deepEqual(ids((await runCli(["transfer", "c", "--to", "t", "--method", "pass-rate"])).stdout), [10, 11, 13]);
  });

  it("transfers a saved set: the same rows as its run's selection, even after that run is gone", async () => {
    const saved = await runCli(["sets", "save", "c", "--name", "c-half", "--threshold", "0.5"]);
    assert.equal(saved.code, 0, saved.stderr);
    const fromRun = await runCli(["transfer", "c", "--to", "t", "--threshold", "0.5"]);
    const r = await runCli(["transfer", "--set", "c-half", "--to", "t"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, fromRun.stdout);
    assert.deepEqual(ids(r.stdout), [10, 11, 13]);
    assert.match(r.stderr, /t has 2 of the 2 prompts of set "c-half" \(joined by prompt text\)/);
    const out = file("set-transfer.jsonl");
    assert.equal((await runCli(["transfer", "--set", "c-half", "--to", "t", "--out", out, "--manifest"])).code, 0);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    assert.deepEqual([m.run.name, m.set.name, m.transfer.set, m.transfer.from.name, m.transfer.found, m.counts.rowsWritten], ["t", "c-half", "c-half", "c", 2, 3]);
    assert.deepEqual(m.rule, { kind: "threshold", threshold: 0.5 });
    assert.match(m.reproduce, /^lim transfer --set c-half --to t --format jsonl --out set-transfer\.jsonl$/);
    // The set's own rule: flags that would choose another are refused, as is an unknown set.
    assert.equal((await runCli(["transfer", "--set", "c-half", "--to", "t", "--threshold", "0.2"])).code, 2);
    assert.equal((await runCli(["transfer", "c", "--set", "c-half", "--to", "t"])).code, 2);
    const unknown = await runCli(["transfer", "--set", "nope", "--to", "t"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nope/);
    // A copy of c deleted after saving its set: the set still transfers.
    writeLog(file("c2.jsonl"), { A: [0, 2], B: [0, 0], C: [1, 2], D: [2, 2] });
    assert.equal((await runCli(["ingest", file("c2.jsonl"), "--name", "c2", "--steps-per-epoch", "1", "--dataset", file("c-data.jsonl")])).code, 0);
    assert.equal((await runCli(["sets", "save", "c2", "--name", "c2-half", "--threshold", "0.5"])).code, 0);
    assert.equal((await runCli(["delete", "c2"])).code, 0);
    assert.equal((await runCli(["transfer", "--set", "c2-half", "--to", "t"])).stdout, fromRun.stdout);
  });

  it("transfer: the manifest names the source and the rule; bad flags exit 2, unknown runs 1", async () => {
    const out = file("transfer.jsonl");
    const r = await runCli(["transfer", "c", "--to", "t", "--threshold", "0.5", "--out", out, "--manifest"]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(readFileSync(`${out}.manifest.json`, "utf8"));
    assert.equal(m.run.name, "t");
    assert.deepEqual([m.transfer.from.name, m.transfer.key, m.transfer.selected, m.transfer.found, m.transfer.missing], ["c", "text", 2, 2, 0]);
    assert.deepEqual(m.rule, { kind: "threshold", threshold: 0.5 });
    assert.equal(m.counts.rowsWritten, 3);
    assert.match(m.reproduce, /^lim transfer c --to t --threshold 0\.5 .*--format jsonl --out transfer\.jsonl$/);
    assert.equal((await runCli(["transfer", "c"])).code, 2);
    assert.equal((await runCli(["transfer", "c", "--to", "t", "--top", "2", "--threshold", "0.5"])).code, 2);
    const missing = await runCli(["transfer", "c", "--to", "nope"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run named "nope"/);
    assert.equal((await runCli(["transfer", "c", "--to", "bare"])).code, 1);
  });
});
