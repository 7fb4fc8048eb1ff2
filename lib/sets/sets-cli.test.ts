import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../db/test-db";

const SCORES = "fixtures/limr/scores.json";
const DATASET = "fixtures/limr/math.8k.json";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * A small OpenRLHF log, 2 steps per epoch, 2 epochs, prompts A-D with a JSONL dataset. `v`
 * changes the rewards, so a run replaced with v2 exports other rows than v1.
 */
function writeLog(dir: string, v: 1 | 2): void {
  mkdirSync(path.join(dir, "train"), { recursive: true });
  const step = (rewards: Record<string, number[]>) =>
    Object.entries(rewards).flatMap(([prompt, rs]) => rs.map((reward) => ({ prompt, response: "r", reward, response_length: 1 })));
  const steps =
    v === 1
      ? [step({ A: [0, 0], B: [1, 1], D: [1, 0] }), step({ C: [0, 0] }), step({ A: [1, 1], B: [1, 1], D: [0, 1] }), step({ C: [0, 0] })]
      : [step({ A: [1, 1], B: [0, 0], D: [0, 0] }), step({ C: [0, 0] }), step({ A: [1, 1], B: [1, 1], D: [0, 0] }), step({ C: [1, 1] })];
  steps.forEach((rows, i) => writeFileSync(path.join(dir, "train", `step_${i + 1}.json`), JSON.stringify(rows)));
  writeFileSync(path.join(dir, "data.jsonl"), ["A", "B", "C", "D"].map((p, i) => JSON.stringify({ prompt: p, id: i, extra: { n: i * 1.5 } })).join("\n") + "\n");
}

describe("lim sets", () => {
  let db: TempDatabase;
  let dir: string;
  const out = (name: string) => path.join(dir, name);
  const ok = async (args: string[]) => {
    const r = await runCli(args);
    assert.equal(r.code, 0, `lim ${args.join(" ")}: ${r.stderr}`);
    return r;
  };
  /** `lim export` to a file, and its bytes. */
  const exported = async (run: string, flags: string[], format: string, file: string) => {
    await ok(["export", run, ...flags, "--format", format, "--out", out(file)]);
    return readFileSync(out(file));
  };
  const setBytes = async (set: string, format: string | null, file: string) => {
    await ok(["sets", "export", set, ...(format ? ["--format", format] : []), "--out", out(file)]);
    return readFileSync(out(file));
  };
  const show = async (set: string) => JSON.parse((await ok(["sets", "show", set, "--json"])).stdout);

  before(async () => {
    db = await useTempDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-sets-cli-"));
    await ok(["import-scores", SCORES, "--dataset", DATASET, "--name", "limr"]);
    writeLog(path.join(dir, "v1"), 1);
    writeLog(path.join(dir, "v2"), 2);
    await ok(["ingest", path.join(dir, "v1"), "--name", "logged", "--steps-per-epoch", "2", "--dataset", path.join(dir, "v1", "data.jsonl")]);
  });
  after(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: { name: string; run: string; flags: string[]; format: string; check: string[] }[] = [
    { name: "lim-default", run: "limr", flags: [], format: "jsonl", check: ["jsonl", "json", "parquet"] },
    { name: "limr-top-scores", run: "limr", flags: ["--top", "300", "--with-scores"], format: "parquet", check: ["parquet", "json"] },
    { name: "pass-rate-scores", run: "logged", flags: ["--method", "pass-rate", "--with-scores", "--max-epochs", "2"], format: "json", check: ["json", "jsonl", "parquet"] },
    { name: "variance-top", run: "logged", flags: ["--method", "variance", "--top", "2"], format: "jsonl", check: ["jsonl"] },
  ];
  for (const c of cases) {
    it(`stores the bytes lim export writes: ${c.run} ${c.flags.join(" ") || "(defaults)"}, saved as ${c.format}`, async () => {
      await ok(["sets", "save", c.run, "--name", c.name, ...c.flags, "--format", c.format]);
      const set = await show(c.name);
      assert.equal(set.format, c.format);
      for (const f of c.check) {
        const want = await exported(c.run, c.flags, f, `${c.name}.lim.${f}`);
        assert.ok(want.length > 0);
        const got = await setBytes(c.name, f === c.format ? null : f, `${c.name}.set.${f}`);
        assert.ok(got.equals(want), `${c.name} as ${f}: ${got.length} bytes, lim export wrote ${want.length}`);
        assert.equal(set.files.find((x: { format: string }) => x.format === f).sha256, sha256(want));
      }
    });
  }

  it("writes the scores it was saved with, and to stdout the same bytes as to a file", async () => {
    const withScores = (await ok(["sets", "export", "pass-rate-scores", "--format", "jsonl"])).stdout;
    assert.match(withScores, /"pass_rate_score":0\.5/);
    const rows = withScores.trimEnd().split("\n").map((l) => JSON.parse(l).prompt);
    assert.deepEqual(rows, ["A", "D"]); // pass rate 0.5 each; B (1) and C (0) are outside 0 < score < 1
    assert.equal(withScores, readFileSync(out("pass-rate-scores.set.jsonl"), "utf8"));
  });

  it("keeps its bytes after the run is replaced with other data, and after it is deleted", async () => {
    await ok(["sets", "save", "logged", "--name", "kept", "--threshold", "0.5", "--with-scores", "--note", "before the re-ingest"]);
    const saved = await setBytes("kept", null, "kept.before.jsonl");
    const before = await exported("logged", ["--threshold", "0.5", "--with-scores"], "jsonl", "logged.before.jsonl");
    assert.ok(saved.equals(before));
    const savedParquet = await setBytes("kept", "parquet", "kept.before.parquet");

    await ok(["ingest", path.join(dir, "v2"), "--name", "logged", "--steps-per-epoch", "2", "--dataset", path.join(dir, "v2", "data.jsonl"), "--replace"]);
    const fresh = await exported("logged", ["--threshold", "0.5", "--with-scores"], "jsonl", "logged.after.jsonl");
    assert.ok(!fresh.equals(before), "the replaced run must export other bytes, or this test proves nothing");
    assert.ok((await setBytes("kept", null, "kept.replaced.jsonl")).equals(saved));

    await ok(["delete", "logged"]);
    assert.equal((await runCli(["export", "logged"])).code, 1);
    assert.ok((await setBytes("kept", null, "kept.deleted.jsonl")).equals(saved));
    assert.ok((await setBytes("kept", "parquet", "kept.deleted.parquet")).equals(savedParquet));
    const set = await show("kept");
    assert.equal(set.run.name, "logged");
    assert.equal(set.note, "before the re-ingest");
    assert.equal(set.files.find((f: { format: string }) => f.format === "jsonl").sha256, sha256(saved));
  });

  it("writes lim export's manifest as of save time, naming the file and the set", async () => {
    await ok(["sets", "export", "limr-top-scores", "--out", out("top.parquet"), "--manifest"]);
    const m = JSON.parse(readFileSync(out("top.parquet.manifest.json"), "utf8"));
    await ok(["export", "limr", "--top", "300", "--with-scores", "--format", "parquet", "--out", out("top.lim.parquet"), "--manifest"]);
    const lim = JSON.parse(readFileSync(out("top.lim.parquet.manifest.json"), "utf8"));
    const set = await show("limr-top-scores");
    assert.deepEqual(Object.keys(m), [...Object.keys(lim), "set"]);
    assert.deepEqual({ ...m, createdAt: 0, set: 0, export: { ...m.export, file: 0 }, reproduce: 0 }, { ...lim, createdAt: 0, set: 0, export: { ...lim.export, file: 0 }, reproduce: 0 });
    assert.equal(m.export.file, "top.parquet");
    assert.equal(m.export.sha256, sha256(readFileSync(out("top.parquet"))));
    assert.equal(m.createdAt, set.createdAt);
    assert.equal(m.reproduce, "lim export limr --top 300 --format parquet --with-scores --out top.parquet");
    assert.deepEqual(m.set, { name: "limr-top-scores", note: null, savedAt: set.createdAt, reproduce: "lim sets export limr-top-scores --format parquet --out top.parquet" });
  });

  it("records the run, method, rule, parameters, counts, tool and rows' provenance", async () => {
    const set = await show("pass-rate-scores");
    assert.equal(set.name, "pass-rate-scores");
    assert.deepEqual({ name: set.run.name, source: set.run.source }, { name: "logged", source: path.join(dir, "v1") });
    assert.ok(!Number.isNaN(Date.parse(set.run.createdAt)) && !Number.isNaN(Date.parse(set.run.updatedAt)));
    assert.equal(set.method, "pass-rate");
    assert.deepEqual(set.rule, { kind: "between", low: 0, high: 1 });
    assert.equal(set.withScores, true);
    assert.deepEqual(set.parameters, { stepsPerEpoch: 2, maxEpochs: 2, successReward: 1, epochMode: "steps" });
    assert.deepEqual(set.counts, { prompts: 4, scored: 4, excluded: 0, selected: 2, rows: 2 });
    assert.deepEqual(set.tool, { name: "lim-studio", version: JSON.parse(readFileSync("package.json", "utf8")).version });
    assert.deepEqual(set.files.map((f: { format: string }) => f.format).sort(), ["json", "jsonl", "parquet"]);

    const listed = JSON.parse((await ok(["sets", "list", "--json"])).stdout);
    assert.deepEqual(listed.map((s: { name: string }) => s.name).sort(), ["kept", "lim-default", "limr-top-scores", "pass-rate-scores", "variance-top"]);
    assert.deepEqual(listed.find((s: { name: string }) => s.name === "pass-rate-scores"), set);
    const table = (await ok(["sets", "list"])).stdout;
    assert.match(table, /^name\s+run\s+method\s+rule\s+rows\s+format\s+saved$/m);
    assert.match(table, /^pass-rate-scores\s+logged\s+pass-rate\s+0 < score < 1\s+2\s+json\s/m);
    assert.match((await ok(["sets", "show", "lim-default"])).stdout, /^set lim-default: 1,389 rows/);
  });

  it("refuses a taken name (exit 1) unless --replace, which overwrites it", async () => {
    const r = await runCli(["sets", "save", "limr", "--name", "lim-default", "--threshold", "0.9"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a set named "lim-default" already exists; choose another name or replace it \(--replace\)/);
    assert.equal((await show("lim-default")).counts.rows, 1389);
    await ok(["sets", "save", "limr", "--name", "lim-default", "--threshold", "0.9", "--replace"]);
    const replaced = await show("lim-default");
    assert.deepEqual(replaced.rule, { kind: "threshold", threshold: 0.9 });
    assert.ok((await setBytes("lim-default", null, "replaced.jsonl")).equals(await exported("limr", ["--threshold", "0.9"], "jsonl", "limr-0.9.jsonl")));
  });

  it("names an unknown set (exit 1) for show, export, delete and diff", async () => {
    for (const args of [["show", "nope"], ["export", "nope"], ["delete", "nope"], ["diff", "kept", "nope"]]) {
      const r = await runCli(["sets", ...args]);
      assert.equal(r.code, 1, `sets ${args.join(" ")}`);
      assert.match(r.stderr, /no set named "nope"/);
      assert.equal(r.stdout, "");
    }
    const run = await runCli(["sets", "save", "no-such-run", "--name", "x"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no run named "no-such-run"/);
  });

  it("refuses bad flags as usage errors (exit 2), saving nothing", async () => {
    const bad: [string[], RegExp][] = [
      [["save", "limr"], /--name is required/],
      [["save", "limr", "--name", "x", "--format", "csv"], /--format must be one of jsonl, json, parquet, got "csv"/],
      [["save", "limr", "--name", "x", "--threshold", "0.5", "--top", "3"], /--threshold and --top are two rules/],
      [["save", "limr", "--name", "x", "--method", "nope"], /--method must be one of/],
      [["save", "limr", "--name", " x"], /must not start or end with white space/],
      [["save", "limr", "--name", "x", "--bogus"], /bogus/],
      [["export", "kept", "--manifest"], /--manifest needs --out FILE/],
      [["export", "kept", "--format", "xml"], /--format must be one of/],
      [["diff", "kept"], /expected <a> <b>/],
      [["frobnicate"], /unknown action "frobnicate"/],
      [[], /expected an action/],
    ];
    for (const [args, message] of bad) {
      const r = await runCli(["sets", ...args]);
      assert.equal(r.code, 2, `sets ${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal((await runCli(["sets", "show", "x"])).code, 1);
  });

  it("deletes a set, not its run", async () => {
    await ok(["sets", "save", "limr", "--name", "doomed"]);
    const r = await ok(["sets", "delete", "doomed"]);
    assert.match(r.stderr, /Deleted set "doomed"/);
    assert.equal((await runCli(["sets", "show", "doomed"])).code, 1);
    assert.equal((await ok(["runs", "--json"])).stdout.includes('"name": "limr"'), true);
  });
});
