/**
 * Child process for the database tests, against DATABASE_URL:
 *   migrate            apply migrations, print the JSON result (migrate.test.ts races several)
 *   slow-write <name>  start writeRun(<name>), write well past SQLite's page cache (so
 *                      uncommitted pages reach the WAL file), print WRITING, and keep writing
 *                      slowly until killed (kill.test.ts)
 *   list-runs          print the run names as JSON; on error print its message to stderr
 *                      and exit 1 (database-file.test.ts: a bad file must fail, not hang)
 */
import { databaseUrl } from "./client";
import { migrateDatabase } from "./migrate";
import { closeDb, listRuns, writeRun } from "./index";
import { seededRandom, testRun } from "./test-db";

const [mode, name = "killed"] = process.argv.slice(2);

if (mode === "migrate") {
  process.stdout.write(`${JSON.stringify(await migrateDatabase(databaseUrl()))}\n`);
} else if (mode === "slow-write") {
  const rand = seededRandom(3);
  // Examples are stored deflated: each response is a different stretch of random text (a 2 MB
  // pool, far past deflate's 32 KB window), so the megabytes written stay megabytes.
  const pool = Array.from({ length: 300_000 }, () => Math.floor(rand() * 1e9).toString(36)).join(" ");
  const length = 2800;
  const response = (n: number) => pool.slice((n * 7919) % (pool.length - length)).slice(0, length);
  await writeRun(testRun(name), async (w) => {
    for (let batch = 0; ; batch++) {
      await w.addExamples(
        Array.from({ length: 500 }, (_, i) => ({
          sampleOrdinal: batch * 500 + i, step: 1, epoch: 1, reward: 1, success: true, responseLength: length, response: response(batch * 500 + i),
        })),
      );
      if (batch === 40) process.stdout.write("WRITING\n"); // ~57 MB of text (~35 MB deflated) written, none committed
      if (batch >= 40) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
} else if (mode === "list-runs") {
  try {
    process.stdout.write(`${JSON.stringify((await listRuns()).map((r) => r.name))}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await closeDb();
  }
} else {
  throw new Error(`test-child: unknown mode ${mode}`);
}
