import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A checkout of its own (sources copied, packages linked), so its bundle and edits touch nothing here. */
function checkout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lim-cli-bundle-"));
  for (const f of ["bin", "lib", "package.json", "tsconfig.json"]) cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
  mkdirSync(path.join(dir, "node_modules"));
  for (const f of readdirSync(path.join(root, "node_modules"))) {
    if (f !== ".cache") symlinkSync(path.join(root, "node_modules", f), path.join(dir, "node_modules", f));
  }
  return dir;
}

const lim = (dir: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [path.join(dir, "bin/lim.mjs"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });

describe("lim from its bundle", () => {
  const dir = checkout();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = path.join(dir, "node_modules/.cache/lim-cli/current.json");

  it("runs the sources as they are after an edit, and rebuilds only then", () => {
    assert.match(lim(dir, ["--help"]), /choose the prompts worth training on/);
    const built = statSync(manifest).mtimeMs;
    lim(dir, ["--help"]);
    assert.equal(statSync(manifest).mtimeMs, built, "nothing changed: the bundle is reused");
    writeFileSync(path.join(dir, "lim.db"), ""); // a database (and its journals) beside package.json
    lim(dir, ["--help"]);
    assert.equal(statSync(manifest).mtimeMs, built, "a file in the root is no source: the bundle is reused");

    const main = path.join(dir, "lib/cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8").replace("choose the prompts worth training on", "pick the prompts worth training on"));
    assert.match(lim(dir, ["--help"]), /pick the prompts worth training on/);
    assert.match(lim(dir, ["--help"], { LIM_CLI_TSX: "1" }), /pick the prompts worth training on/, "the sources through tsx say the same");
  });

  it("notices a file added beside the sources, which could change what an import names", () => {
    const before = readFileSync(manifest, "utf8");
    writeFileSync(path.join(dir, "lib/cli/notes.txt"), "a new file in a source folder\n");
    lim(dir, ["--help"]);
    assert.notEqual(readFileSync(manifest, "utf8"), before);
  });
});
