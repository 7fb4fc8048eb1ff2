import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { generateGeneric } from "../../demo/generate-generic";
import { generateNemoRl } from "../../demo/generate-nemo-rl";
import { generateRun } from "../../demo/generate-run";
import { generateTrl } from "../../demo/generate-trl";
import { generateVerl } from "../../demo/generate-verl";
import { detectFormat } from "./detect-format";
import { IngestError } from "../errors";
import { formatReader } from "./readers";
import { tempDir } from "../test-helpers";

const tmp = tempDir("lim-detect-");
after(() => tmp.cleanup());
const at = (...p: string[]) => path.join(tmp.dir, ...p);

function files(dir: string, names: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [n, text] of Object.entries(names)) writeFileSync(path.join(dir, n), text);
  return dir;
}

function cannotTell(p: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => detectFormat(p),
    (e: Error) => {
      assert.ok(e instanceof IngestError, String(e));
      for (const re of patterns) assert.match(e.message, re);
      return true;
    },
  );
}

describe("--format auto", () => {
  test("recognises every generated layout, and its reader then finds the files", async () => {
    const run = await generateRun({ dir: at("openrlhf"), prompts: 8, epochs: 1, stepsPerEpoch: 2, promptsPerStep: 4, rolloutsPerPrompt: 2 });
    const trl = generateTrl({ dir: at("trl"), prompts: 6, epochs: 1, stepsPerEpoch: 2 });
    const cases: [string, string, RegExp][] = [
      [run.dir, "openrlhf", /2 step_N\.json in .*train/],
      [run.trainDir, "openrlhf", /2 step_N\.json in /],
      [generateVerl({ dir: at("verl"), prompts: 6, epochs: 1, stepsPerEpoch: 2 }).dir, "verl", /2 N\.jsonl in /],
      [trl.dir, "trl", /2 completions_NNNNN\.parquet in .*completions/],
      [trl.completionsDir, "trl", /2 completions_NNNNN\.parquet in /],
      [generateNemoRl({ dir: at("nemo"), prompts: 6, epochs: 1, stepsPerEpoch: 2 }).dir, "nemo-rl", /2 train_data_stepN\.jsonl in /],
      [generateGeneric({ out: at("g", "log.jsonl"), kind: "jsonl", prompts: 3 }).path, "jsonl", /log\.jsonl is a \.jsonl file/],
      [generateGeneric({ out: at("gc"), kind: "csv", files: 2, prompts: 3 }).path, "csv", /2 \.csv files in /],
    ];
    for (const [p, format, reason] of cases) {
      const d = detectFormat(p);
      assert.equal(d.format, format, p);
      assert.match(d.reason, reason);
      assert.ok(formatReader(d.format).locate(p).files.length > 0, p);
    }
  });

  test("an upload folder holding only the files themselves", () => {
    const trl = generateTrl({ dir: at("up-trl"), prompts: 4, epochs: 1, stepsPerEpoch: 1 });
    assert.equal(detectFormat(trl.completionsDir).format, "trl");
    const dir = files(at("up-open"), { "step_1.json": "[]", "step_2.json": "[]" });
    assert.equal(detectFormat(dir).format, "openrlhf");
  });

  test("N.jsonl files that are not verl dumps: auto says what it found and points at --format jsonl", () => {
    const dir = files(at("numbered"), { "1.jsonl": '{"prompt":"Q","step":1,"reward":1}\n' });
    cannotTell(dir, /1 N\.jsonl in .* look like verl step files, but 1\.jsonl has no "input" and "score"/, /first line has: prompt, step, reward/, /--format jsonl/);
  });

  test("a verl N.jsonl with a UTF-8 byte order mark is recognised; a UTF-16 one is named as such", () => {
    const line = '{"input":"Q","output":"a","score":1,"step":1}\n';
    const bom = files(at("bom"), {});
    writeFileSync(path.join(bom, "1.jsonl"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)]));
    assert.equal(detectFormat(bom).format, "verl");
    const wide = files(at("utf16"), {});
    writeFileSync(path.join(wide, "1.jsonl"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, "utf16le")]));
    cannotTell(wide, /1\.jsonl: the file is UTF-16; save it as UTF-8/);
  });

  test("a folder it cannot tell says what it saw and which --format to pass", () => {
    const dir = files(at("unknown"), { "metrics.json": "{}", "notes.txt": "", "config.yaml": "" });
    mkdirSync(path.join(dir, "ckpt"));
    cannotTell(dir, /cannot tell the log format of .*unknown: it holds 3 files \(config\.yaml, metrics\.json, notes\.txt\) and folders ckpt\//, /pass --format openrlhf\|verl\|trl\|nemo-rl\|jsonl\|csv/);
    cannotTell(files(at("empty"), {}), /it holds no files/);
  });

  test("two layouts in one folder, or both .jsonl and .csv files, are named", () => {
    cannotTell(files(at("two"), { "step_1.json": "[]", "train_data_step1.jsonl": "" }), /1 step_N\.json in .* and 1 train_data_stepN\.jsonl in /);
    cannotTell(files(at("mixed"), { "a.jsonl": "", "b.csv": "" }), /both \.jsonl and \.csv files/);
  });

  test("a single step file asks for its folder; other single files must be .jsonl or .csv", () => {
    const dir = files(at("single"), { "train_data_step3.jsonl": "", "run.parquet": "" });
    cannotTell(path.join(dir, "train_data_step3.jsonl"), /is one nemo-rl step file \(train_data_stepN\.jsonl\): pass the folder/);
    cannotTell(path.join(dir, "run.parquet"), /a single file must be \.jsonl or \.csv/);
    cannotTell(at("nowhere"), /no such file or directory/);
  });
});
