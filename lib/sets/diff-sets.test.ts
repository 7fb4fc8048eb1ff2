import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";
import { diffIdentities } from "./diff-sets";
import type { RowIdentity } from "./row-identities";

const row = (r: number | null, prompt: string, id: string | null = null): RowIdentity => ({ row: r, prompt, id });

describe("diffIdentities", () => {
  it("counts rows as a multiset of prompts: a prompt A writes twice and B once is once in both, once only in A", () => {
    const a = [row(0, "x"), row(1, "y"), row(4, "y"), row(2, "z")];
    const b = [row(1, "y"), row(2, "z"), row(3, "w")];
    const d = diffIdentities(a, b, { rows: true });
    assert.deepEqual(d, { by: "prompt", only_a: 2, only_b: 1, both: 2, rows: { only_a: [row(0, "x"), row(4, "y")], only_b: [row(3, "w")], both: [row(1, "y"), row(2, "z")] } });
    assert.equal(d.only_a + d.both, a.length);
    assert.equal(d.only_b + d.both, b.length);
  });

  it("matches by the dataset's id when every row of both sets has one: one question under two ids is two rows", () => {
    const a = [row(0, "same question", "7"), row(1, "same question", "8")];
    const b = [row(1, "same question", "8"), row(2, "other", "9")];
    assert.deepEqual(diffIdentities(a, b), { by: "id", only_a: 1, only_b: 1, both: 1 });
    // Without ids on one side, the prompt decides: both of A's rows ask B's first question.
    assert.deepEqual(diffIdentities(a, [row(5, "same question"), row(6, "other")]), { by: "prompt", only_a: 1, only_b: 1, both: 1 });
  });

  it("gives zeros for two empty sets", () => {
    assert.deepEqual(diffIdentities([], []), { by: "prompt", only_a: 0, only_b: 0, both: 0 });
  });
});

/**
 * Two runs of one six-row dataset (p2 on two rows), made from scores chosen so each set's
 * rows are known: at threshold 0.65, X keeps rows 0,1,2,4 (p1, p2, p3, p2) and Y rows 1,2,3,4
 * (p2, p3, p4, p2).
 */
describe("lim sets diff on hand-made sets", () => {
  let db: TempDatabase;
  let dir: string;
  const ok = async (args: string[]) => {
    const r = await runCli(args);
    assert.equal(r.code, 0, `lim ${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  const diff = async (...args: string[]) => JSON.parse((await ok(["sets", "diff", ...args, "--json"])).stdout);

  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-sets-diff-"));
    const rows = [{ prompt: "p1" }, { prompt: "p2" }, { prompt: "p3" }, { prompt: "p4" }, { prompt: "p2", copy: true }, { prompt: "p5" }];
    writeFileSync(path.join(dir, "data.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const scores = (s: number[]) => JSON.stringify(["p1", "p2", "p3", "p4", "p5"].map((prompt, i) => ({ prompt, score: s[i] })));
    writeFileSync(path.join(dir, "x.json"), scores([0.9, 0.8, 0.7, 0.1, 0.1]));
    writeFileSync(path.join(dir, "y.json"), scores([0.1, 0.9, 0.9, 0.9, 0.1]));
    for (const r of ["x", "y"]) await ok(["import-scores", path.join(dir, `${r}.json`), "--dataset", path.join(dir, "data.jsonl"), "--name", r]);
    await ok(["sets", "save", "x", "--name", "X", "--threshold", "0.65"]);
    await ok(["sets", "save", "y", "--name", "Y", "--threshold", "0.65"]);
    await ok(["sets", "save", "x", "--name", "W", "--threshold", "0.75"]); // p1, p2: rows 0, 1, 4
    await ok(["sets", "save", "y", "--name", "E", "--threshold", "0.95"]); // nothing
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts rows only in A, only in B and in both", async () => {
    assert.deepEqual(await diff("X", "Y"), { a: "X", b: "Y", by: "prompt", only_a: 1, only_b: 1, both: 3 });
    assert.deepEqual(await diff("Y", "X"), { a: "Y", b: "X", by: "prompt", only_a: 1, only_b: 1, both: 3 });
    assert.deepEqual(await diff("W", "X"), { a: "W", b: "X", by: "prompt", only_a: 0, only_b: 1, both: 3 });
    assert.deepEqual(await diff("X", "E"), { a: "X", b: "E", by: "prompt", only_a: 4, only_b: 0, both: 0 });
    assert.deepEqual(await diff("X", "X"), { a: "X", b: "X", by: "prompt", only_a: 0, only_b: 0, both: 4 });
  });

  it("lists the rows of each part with --rows: dataset row index and prompt", async () => {
    const d = await diff("X", "Y", "--rows");
    assert.deepEqual(d.rows, {
      only_a: [{ row: 0, prompt: "p1", id: null }],
      only_b: [{ row: 3, prompt: "p4", id: null }],
      both: [
        { row: 1, prompt: "p2", id: null },
        { row: 2, prompt: "p3", id: null },
        { row: 4, prompt: "p2", id: null },
      ],
    });
    const text = (await ok(["sets", "diff", "X", "Y", "--rows"])).stdout;
    assert.match(text, /^X vs Y, rows matched by prompt: only in X 1, only in Y 1, in both 3$/m);
    assert.match(text, /only in Y \(1\):\n {2}row 3: "p4"/);
  });
});

/**
 * A log identified by id (generic JSONL, --id-field uid) where ids a and b ask the same
 * question Q: pass rates a 0.5, b 1, c 0.5. By id, P = {a, c} and Q = {b} share nothing;
 * by prompt they would share Q.
 */
describe("lim sets diff on a run identified by id", () => {
  let db: TempDatabase;
  let dir: string;
  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-sets-diff-id-"));
    const log = [1, 2].flatMap((step) =>
      ["a", "b", "c"].flatMap((uid) => {
        const reward = step === 2 || uid === "b" ? 1 : 0;
        return [0, 1].map(() => ({ step, uid, prompt: uid === "c" ? "R" : "Q", reward, response: "x" }));
      }),
    );
    writeFileSync(path.join(dir, "log.jsonl"), log.map((r) => JSON.stringify(r)).join("\n") + "\n");
    writeFileSync(path.join(dir, "data.jsonl"), ["a", "b", "c"].map((uid) => JSON.stringify({ uid, prompt: uid === "c" ? "R" : "Q" })).join("\n") + "\n");
    const steps = ["--steps-per-epoch", "1"];
    for (const args of [
      ["ingest", path.join(dir, "log.jsonl"), "--name", "ids", "--format", "jsonl", "--id-field", "uid", ...steps, "--dataset", path.join(dir, "data.jsonl")],
      ["sets", "save", "ids", "--name", "P", "--method", "pass-rate"],
      ["sets", "save", "ids", "--name", "Q", "--method", "pass-rate", "--threshold", "0.9"],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("matches rows by the dataset's id, so one question under two ids is two rows", async () => {
    const r = await runCli(["sets", "diff", "P", "Q", "--json", "--rows"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      a: "P",
      b: "Q",
      by: "id",
      only_a: 2,
      only_b: 1,
      both: 0,
      rows: { only_a: [{ row: 0, prompt: "Q", id: "a" }, { row: 2, prompt: "R", id: "c" }], only_b: [{ row: 1, prompt: "Q", id: "b" }], both: [] },
    });
  });
});
