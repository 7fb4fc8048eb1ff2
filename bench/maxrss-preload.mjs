// Loaded with `node --import` into a measured process when GNU time is not available:
// writes the process's peak RSS (getrusage maxRSS, KiB, every thread included) to
// $LIM_BENCH_MAXRSS_FILE when it exits, however it exits short of a signal.
import { writeFileSync } from "node:fs";

const file = process.env.LIM_BENCH_MAXRSS_FILE;
if (file) {
  delete process.env.LIM_BENCH_MAXRSS_FILE; // not for the process's own children
  process.on("exit", () => {
    try {
      writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {}
  });
}
