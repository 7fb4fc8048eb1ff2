import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { withFileLock } from "./file-lock";

describe("withFileLock (the migration lock)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "lim-lock-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a lock file that cannot be created fails at once, naming it and the reason", async () => {
    const lock = path.join(dir, "missing-folder", "lim.db.migrating");
    const started = performance.now();
    await assert.rejects(withFileLock(lock, async () => "ran"), {
      message: `cannot create the lock file ${lock}: ENOENT: no such file or directory`,
    });
    assert.ok(performance.now() - started < 1000, "no waiting on a lock that can never be taken");
  });

  test("a lock held by a live process is waited on only until the deadline", async () => {
    const lock = path.join(dir, "held.migrating");
    writeFileSync(lock, String(process.pid)); // this process is alive
    // Fresh for the whole wait: a lock older than the wait counts as abandoned, and on a
    // loaded machine one written just before the wait began could pass 300 ms inside it.
    const soon = new Date(Date.now() + 60_000);
    utimesSync(lock, soon, soon);
    const started = performance.now();
    let ran = false;
    await assert.rejects(
      withFileLock(lock, async () => (ran = true), { waitMs: 300, pollMs: 20 }),
      new RegExp(`waited 300 ms for ${lock.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; if no other lim process is running, delete it`),
    );
    const ms = performance.now() - started;
    assert.ok(ms >= 300 && ms < 3000, `gave up after ${Math.round(ms)} ms`);
    assert.equal(ran, false);
    assert.equal(existsSync(lock), true, "someone else's lock is not removed");
    rmSync(lock);
  });

  test("a lock left by a dead process, or older than the wait, is taken over and released", async () => {
    const dead = path.join(dir, "dead.migrating");
    writeFileSync(dead, "2147483646"); // no such pid
    assert.equal(await withFileLock(dead, async () => "ran", { waitMs: 5000 }), "ran");
    assert.equal(existsSync(dead), false);

    const old = path.join(dir, "old.migrating");
    writeFileSync(old, String(process.pid));
    const longAgo = new Date(Date.now() - 10_000);
    utimesSync(old, longAgo, longAgo);
    assert.equal(await withFileLock(old, async () => "ran", { waitMs: 5000 }), "ran");
    assert.equal(existsSync(old), false);
  });

  test("the lock is released when fn throws", async () => {
    const lock = path.join(dir, "throws.migrating");
    await assert.rejects(withFileLock(lock, async () => Promise.reject(new Error("boom"))), /boom/);
    assert.equal(existsSync(lock), false);
  });
});
