import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { closeDb, listRuns, loadSamples, writeRun } from "./index";
import { testRun } from "./test-db";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs a command against DATABASE_URL=url; a hang is killed after 20 s and reported, not waited on. */
function runWith(url: string, args: string[]): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, DATABASE_URL: url }, timeout: 20_000 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      resolve({
        code: e ? (typeof e.code === "number" ? e.code : null) : 0,
        stdout,
        stderr,
        ms: performance.now() - started,
        timedOut: Boolean(e?.killed),
      });
    });
  });
}

const listRunsChild = (url: string) => runWith(url, ["--import", "tsx", path.join(root, "lib/db/test-child.ts"), "list-runs"]);

describe("a database file that cannot be used fails fast, naming the file and the reason", () => {
  let dir: string;
  const saved = process.env.DATABASE_URL;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-dbfile-"));
  });
  afterEach(() => closeDb());
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  test("a folder that cannot be created (under /proc): error, not a hang at 100% CPU", { skip: !existsSync("/proc/self") }, async () => {
    const out = await listRunsChild("file:/proc/nope/x.db");
    assert.equal(out.timedOut, false, "listRuns hung");
    assert.equal(out.code, 1);
    assert.match(out.stderr, /cannot create the folder \/proc\/nope for the database \/proc\/nope\/x\.db: ENOENT: no such file or directory/);
  });

  test("`lim runs` on such a path exits 1 with that message", { skip: !existsSync("/proc/self") }, async () => {
    const out = await runWith("file:/proc/nope/x.db", [path.join(root, "bin/lim.mjs"), "runs"]);
    assert.equal(out.timedOut, false, "lim runs hung");
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^lim runs: cannot create the folder \/proc\/nope for the database \/proc\/nope\/x\.db: ENOENT/);
  });

  test("a path through a regular file says which part is a file", async () => {
    const file = path.join(dir, "notes.txt");
    writeFileSync(file, "hello\n");
    process.env.DATABASE_URL = `file:${path.join(file, "sub", "lim.db")}`;
    await assert.rejects(listRuns(), {
      name: "DatabaseFileError",
      message: `cannot create the folder ${path.join(file, "sub")} for the database ${path.join(file, "sub", "lim.db")}: ENOTDIR: not a directory`,
    });
  });

  test("a text file is reported as not a SQLite database, and is left exactly as it was", async () => {
    const file = path.join(dir, "runs.txt");
    const text = "prompt,score\nWhat is 1 + 1?,0.5\n";
    writeFileSync(file, text);
    process.env.DATABASE_URL = `file:${file}`;
    const expected = { name: "DatabaseFileError", message: new RegExp(`^${escape(file)} is not a SQLite database \\(SQLite: "file is not a database"`) };
    await assert.rejects(listRuns(), expected);
    await assert.rejects(loadSamples(1), expected);
    await assert.rejects(writeRun(testRun("r"), async () => {}), expected);
    assert.equal(readFileSync(file, "utf8"), text);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith("runs.txt")), ["runs.txt"], "no -wal, -shm or lock file left beside it");
  });

  test("the same, seen from another process: exit 1 and the message, quickly", async () => {
    const file = path.join(dir, "scores.json");
    writeFileSync(file, JSON.stringify({ prompts: [] }));
    const out = await listRunsChild(`file:${file}`);
    assert.equal(out.code, 1);
    assert.match(out.stderr, new RegExp(`^${escape(file)} is not a SQLite database`));
    assert.ok(out.ms < 15_000, `took ${Math.round(out.ms)} ms`);
  });

  test("a folder given as the database file says it is a folder", async () => {
    const folder = path.join(dir, "a-folder");
    mkdirSync(folder);
    process.env.DATABASE_URL = `file:${folder}`;
    await assert.rejects(listRuns(), {
      name: "DatabaseFileError",
      message: new RegExp(`^cannot open the database ${escape(folder)}: it is a folder, not a file`),
    });
  });

  test("once the file is fixed, the same process uses it (a failure is not remembered)", async () => {
    const file = path.join(dir, "later.db");
    writeFileSync(file, "not yet a database");
    process.env.DATABASE_URL = `file:${file}`;
    await assert.rejects(listRuns(), /is not a SQLite database/);
    rmSync(file);
    await writeRun(testRun("fixed"), async () => {});
    assert.deepEqual((await listRuns()).map((r) => r.name), ["fixed"]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
