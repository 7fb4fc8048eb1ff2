import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { getRun, listRuns, writeRun } from ".";
import { testRun, useTempDatabase, type TempDatabase } from "./test-db";
import { claimWatcher, clearWatcher, markWatcher, releaseWatcher } from "./watcher-marker";

let db: TempDatabase;
before(async () => {
  db = await useTempDatabase();
  await writeRun(testRun("followed", { live: true }), async () => {});
});
after(() => db.cleanup());

test("a live run reads as live only while the process that watches it is running", async () => {
  // Stored live, but no watcher ever claimed it (or its marker was removed): not live.
  assert.equal((await getRun("followed"))!.live, false);
  markWatcher("followed");
  assert.equal((await getRun("followed"))!.live, true);
  assert.deepEqual((await listRuns()).map((r) => r.live), [true]);

  // A watcher killed outright leaves its marker with a pid that no longer runs.
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
  writeFileSync(`${db.file}.watch-followed`, dead);
  assert.equal((await getRun("followed"))!.live, false);
  assert.deepEqual((await listRuns()).map((r) => r.live), [false]);

  markWatcher("followed");
  clearWatcher("followed");
  assert.equal((await getRun("followed"))!.live, false);
});

test("a second watcher of a name never takes or drops the claim of a live one", async () => {
  const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
  try {
    writeFileSync(`${db.file}.watch-followed`, String(other.pid));
    assert.equal((await getRun("followed"))!.live, true, "the other process watches it");
    assert.equal(claimWatcher("followed"), false);
    releaseWatcher("followed");
    assert.equal((await getRun("followed"))!.live, true, "its claim is untouched");
  } finally {
    other.kill();
  }
  await new Promise((r) => other.on("exit", r));
  // Its watcher gone, the name can be claimed, and released by the process that claimed it.
  assert.equal(claimWatcher("followed"), true);
  assert.equal((await getRun("followed"))!.live, true);
  releaseWatcher("followed");
  assert.equal((await getRun("followed"))!.live, false);
});
