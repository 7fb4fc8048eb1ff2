/**
 * Child process for kill.test.ts: starts writeRun(<name>) against DATABASE_URL, writes well
 * past SQLite's page cache (so uncommitted pages reach the WAL file), prints WRITING, and
 * keeps writing slowly until it is killed.
 */
import { writeRun } from "./index";
import { seededRandom, testRun } from "./test-db";

const name = process.argv[2] ?? "killed";
const rand = seededRandom(3);
const text = Array.from({ length: 400 }, () => Math.floor(rand() * 1e9).toString(36)).join(" ");

await writeRun(testRun(name), async (w) => {
  for (let batch = 0; ; batch++) {
    await w.addExamples(
      Array.from({ length: 500 }, (_, i) => ({
        sampleOrdinal: batch * 500 + i, step: 1, epoch: 1, reward: 1, success: true, responseLength: text.length, response: text,
      })),
    );
    if (batch === 40) process.stdout.write("WRITING\n"); // ~40 MB written, none committed
    if (batch >= 40) await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
