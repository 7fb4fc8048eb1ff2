import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { getRun, listRuns, writeRun } from ".";
import { testRun, useTempDatabase, type TempDatabase } from "./test-db";
import { clearWatcher, markWatcher } from "./watcher-marker";

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
