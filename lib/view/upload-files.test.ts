import assert from "node:assert/strict";
import { test } from "node:test";
import { isLogFile, logFilesLabel, splitUpload } from "./upload-files";

test("a trainer's step files are the logs, and one other data file beside them the dataset", () => {
  const openrlhf = ["math8k/train/step_1.json", "math8k/train/step_2.json", "math8k/math.8k.json", "math8k/notes.txt"];
  assert.deepEqual(splitUpload(openrlhf, "auto"), { logs: [0, 1], dataset: 2 });
  const verl = ["run/1.jsonl", "run/2.jsonl", "run/train.parquet"];
  assert.deepEqual(splitUpload(verl, "auto"), { logs: [0, 1], dataset: 2 });
  assert.deepEqual(splitUpload(verl, "verl"), { logs: [0, 1], dataset: 2 });
  const trl = ["grpo/completions/completions_00010.parquet", "grpo/completions/completions_00020.parquet"];
  assert.deepEqual(splitUpload(trl, "auto"), { logs: [0, 1], dataset: null });
  // Two candidates: none is guessed.
  assert.deepEqual(splitUpload(["r/step_1.json", "r/a.json", "r/b.csv"], "openrlhf"), { logs: [0], dataset: null });
});

test("plain JSONL or CSV logs take every file of their extension", () => {
  assert.deepEqual(splitUpload(["x/a.jsonl", "x/b.jsonl", "x/data.csv"], "auto"), { logs: [0, 1], dataset: null });
  assert.deepEqual(splitUpload(["x/a.jsonl", "x/data.csv"], "csv"), { logs: [1], dataset: null });
  assert.deepEqual(splitUpload(["x/step_1.json"], "jsonl"), { logs: [], dataset: null });
});

test("log file names follow the format", () => {
  assert.equal(isLogFile("train_data_step3.jsonl", "nemo-rl"), true);
  assert.equal(isLogFile("3.jsonl", "nemo-rl"), false);
  assert.equal(isLogFile("completions_00005.parquet"), true);
  assert.equal(isLogFile("dataset.parquet"), false);
  assert.equal(isLogFile("notes.txt"), false);
  assert.equal(logFilesLabel("auto", 1), "1 step file");
  assert.equal(logFilesLabel("csv", 1200), "1,200 CSV log files");
});
