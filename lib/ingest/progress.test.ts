import assert from "node:assert/strict";
import { test } from "node:test";
import { progressLine, progressReporter } from "./progress";
import type { IngestProgress } from "./progress-event";

const at = (filesDone: number, elapsedMs: number): IngestProgress => ({
  phase: "read",
  filesDone,
  filesTotal: 10,
  bytesDone: filesDone * 100e6,
  bytesTotal: 1e9,
  rollouts: filesDone * 8192,
  elapsedMs,
});

test("a progress line shows files, rollouts, throughput and time left", () => {
  assert.equal(progressLine(at(4, 2000), 0), "reading  4/10 files  32,768 rollouts  200 MB/s  ETA 3.0 s");
});

test("without a terminal: plain lines, at most one per interval, messages on their own line", () => {
  let out = "";
  const r = progressReporter({ write: (s: string) => (out += s), isTTY: false }, { intervalMs: 60_000 });
  r.update(at(0, 0));
  r.update(at(5, 1000));
  r.message("warning: step 3 is missing");
  r.done();
  assert.equal(out, "reading  0/10 files  0 rollouts  0 MB/s\nwarning: step 3 is missing\n");
});

test("on a terminal: one line redrawn in place and cleared at the end", () => {
  let out = "";
  const r = progressReporter({ write: (s: string) => (out += s), isTTY: true, columns: 100 }, { intervalMs: 0 });
  r.update(at(10, 5000));
  r.done();
  assert.match(out, /^\r\x1b\[K\[#{30}\] reading  10\/10 files/);
  assert.ok(out.endsWith("\r\x1b[K"));
  assert.ok(!out.includes("\n"));
});
