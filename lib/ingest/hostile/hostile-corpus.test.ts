import assert from "node:assert/strict";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { runCli } from "../../cli/run-cli";
import { useTempDatabase, type TempDatabase } from "../../db/test-db";
import { generateRun } from "../../demo/generate-run";
import { tempDir } from "../test-helpers";
import { HOSTILE_CASES, type HostileCase } from "./cases";

/**
 * Every case of the hostile-input corpus (cases.ts) through the real CLI: `lim ingest` exits
 * non-zero with a message naming the file (and the line or element and field where the case
 * says so), never a stack trace; no run of the case's name is left; and a good run ingested
 * first is listed and exported byte for byte as before.
 */

const GOOD = "hostile-good-run";
let db: TempDatabase;
const tmp = tempDir("lim-hostile-");
let goodExport: string;
let runsBefore: string;

before(async () => {
  db = await useTempDatabase();
  const gen = await generateRun({ dir: path.join(tmp.dir, "good"), prompts: 40, epochs: 2, stepsPerEpoch: 2, promptsPerStep: 10, rolloutsPerPrompt: 4, responseBytes: 60 });
  const r = await runCli(["ingest", gen.trainDir, "--name", GOOD, "--format", "openrlhf", "--dataset", gen.datasetFile]);
  assert.equal(r.code, 0, r.stderr);
  const e = await runCli(["export", GOOD, "--with-scores"]);
  assert.equal(e.code, 0, e.stderr);
  assert.ok(e.stdout.length > 0);
  goodExport = e.stdout;
  const l = await runCli(["runs", "--json"]);
  assert.equal(l.code, 0, l.stderr);
  runsBefore = l.stdout;
});
after(async () => {
  await db.cleanup();
  tmp.cleanup();
});

function writeCase(c: HostileCase, dir: string): void {
  for (const [rel, content] of Object.entries(c.files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === "object" && !(content instanceof Uint8Array)) symlinkSync(content.symlink, file);
    else writeFileSync(file, content);
  }
  for (const [rel, mode] of Object.entries(c.chmod ?? {})) chmodSync(path.join(dir, rel), mode);
}

describe("hostile input is refused in words, leaving every run as it was", () => {
  const names = new Set<string>();
  for (const c of HOSTILE_CASES) {
    assert.ok(!names.has(c.name), `duplicate case ${c.name}`);
    names.add(c.name);
    test(c.name, async (t) => {
      const why = c.skip?.();
      if (why) return void t.skip(why);
      const dir = path.join(tmp.dir, c.name);
      writeCase(c, dir);
      const args = ["ingest", path.join(dir, c.path), "--name", c.name, "--format", c.format];
      if (c.dataset) args.push("--dataset", path.join(dir, c.dataset));
      args.push(...(c.flags ?? []));
      const r = await runCli(args);
      // A case that wrongly succeeds fails below; its run must not also fail the cases after it.
      t.after(async () => {
        if (r.code === 0) await runCli(["delete", c.name]);
      });
      const said = `exit ${r.code}\nstderr: ${r.stderr.slice(0, 2000)}\nstdout: ${r.stdout.slice(-1000)}`;
      assert.notEqual(r.code, 0, said);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `a stack trace:\n${said}`);
      const message = r.stderr;
      assert.match(message, c.expect.file, `names the file:\n${said}`);
      if (c.expect.where) assert.match(message, c.expect.where, `names the line/element:\n${said}`);
      if (c.expect.field) assert.match(message, c.expect.field, `names the field:\n${said}`);
      if (c.expect.says) assert.match(message, c.expect.says, `says what is wrong:\n${said}`);

      const l = await runCli(["runs", "--json"]);
      assert.equal(l.code, 0, l.stderr);
      const runs = JSON.parse(l.stdout) as { name: string }[];
      assert.ok(!runs.some((x) => x.name === c.name), `run ${c.name} left behind`);
      assert.equal(l.stdout, runsBefore, "the run list changed");
      const e = await runCli(["export", GOOD, "--with-scores"]);
      assert.equal(e.code, 0, e.stderr);
      assert.ok(e.stdout === goodExport, "the good run's export changed");
    });
  }
});
