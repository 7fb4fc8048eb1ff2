import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { IngestError } from "../errors";
import { tempDir } from "../test-helpers";
import { listStepFiles } from "./list-step-files";

const tmp = tempDir("lim-step-files-");
after(() => tmp.cleanup());

function folder(name: string, steps: number[]): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir);
  for (const s of steps) writeFileSync(path.join(dir, `step_${s}.json`), "[]", { flag: "w" });
  return dir;
}

test("a stray step number far past the log is refused with the file named, not sized into every curve", () => {
  const dir = folder("stray", [1, 2, 3, 4, 1_000_000_000]);
  assert.throws(
    () => listStepFiles(dir),
    (e: unknown) =>
      e instanceof IngestError &&
      e.file === path.join(dir, "step_1000000000.json") &&
      /step 1,000,000,000 comes after step 4 with 999,999,995 steps missing/.test(e.message) &&
      /stray or misnamed/.test(e.message),
  );
});

test("sparse logging and ordinary gaps stay warnings", () => {
  const every50 = Array.from({ length: 40 }, (_, i) => 50 * (i + 1));
  const listing = listStepFiles(folder("sparse", [...every50, 12_000]));
  assert.equal(listing.files.length, 41);
  assert.ok(listing.warnings.some((w) => /steps 2001-11999 are missing/.test(w)), listing.warnings.join("\n"));
});
