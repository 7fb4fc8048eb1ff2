import assert from "node:assert/strict";
import { test } from "node:test";
import { capText, encodeEvent, readEvents, runNameFromPath, safeFileName, uploadFieldsSchema, uploadLogFields, uploadTooBig } from "./upload-events";

test("events arrive whole even when the stream splits a line", () => {
  const text = encodeEvent({ type: "warning", message: "gap" }) + encodeEvent({ type: "error", message: "bad" });
  const a = readEvents(text.slice(0, 10));
  assert.deepEqual(a.events, []);
  const b = readEvents(a.rest + text.slice(10));
  assert.deepEqual(b.events.map((e) => e.type), ["warning", "error"]);
  assert.equal(b.rest, "");
});

test("uploaded names are plain file names; folders name the run", () => {
  assert.equal(safeFileName("run/train/step_12.json"), "step_12.json");
  assert.equal(safeFileName("../../etc/passwd"), "passwd");
  assert.equal(safeFileName(".."), null);
  assert.equal(runNameFromPath("math8k/train/step_1.json"), "math8k");
  assert.equal(runNameFromPath("step_1.json"), null);
  assert.equal(runNameFromPath("grpo-math/completions/completions_00010.parquet"), "grpo-math");
});

test("form fields are checked and named", () => {
  const ok = uploadFieldsSchema.parse({ name: " demo ", stepsPerEpoch: "8", replace: "on" });
  assert.equal(ok.name, "demo");
  assert.equal(ok.stepsPerEpoch, 8);
  assert.equal(ok.successReward, undefined);
  assert.equal(ok.replace, true);
  const bad = uploadFieldsSchema.safeParse({ name: "x", stepsPerEpoch: "0" });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0].message, /stepsPerEpoch must be a positive integer/);
  assert.match(uploadFieldsSchema.safeParse({ name: "" }).error!.issues[0].message, /run name is required/);
  // The CLI's rule (lib/db/run-name.ts): names travel in URLs, file names and commands.
  for (const name of ["50%", "..", ".", "a/b", "a\r\nb", "a\u0000b", "a\u202eb", "a b", "-x", "x".repeat(101)]) {
    assert.match(uploadFieldsSchema.safeParse({ name }).error?.issues[0].message ?? "accepted", /run name keeps to letters, digits/, JSON.stringify(name));
  }
  assert.equal(uploadFieldsSchema.parse({ name: "math8k.v2_run-1" }).name, "math8k.v2_run-1");
});

test("format, log fields, dataset fields and the epoch rule become ingest options", () => {
  const f = uploadFieldsSchema.parse({ name: "r", format: "csv", logPrompt: "question", logStep: " it ", logReward: "", logId: "qid", datasetIdField: "extra_info.index", epochMode: "visits" });
  assert.equal(f.format, "csv");
  assert.deepEqual(uploadLogFields(f), { prompt: "question", step: "it", id: "qid" });
  assert.equal(f.datasetIdField, "extra_info.index");
  assert.equal(f.epochMode, "visits");
  const plain = uploadFieldsSchema.parse({ name: "r", format: "", epochMode: "" });
  assert.equal(plain.format, "auto");
  assert.equal(plain.epochMode, undefined);
  assert.equal(uploadLogFields(plain), undefined);
  assert.match(uploadFieldsSchema.safeParse({ name: "r", format: "wandb" }).error!.issues[0].message, /format must be one of auto, openrlhf/);
  assert.match(uploadFieldsSchema.safeParse({ name: "r", epochMode: "epochs" }).error!.issues[0].message, /epochMode must be steps or visits/);
});

test("a refused size is said in words, with the cap as people say it", () => {
  assert.equal(capText(2 * 1024 ** 3), "2 GB");
  assert.equal(capText(512 * 1024 ** 2), "512 MB");
  assert.equal(uploadTooBig(2.5 * 1024 ** 3, 2 * 1024 ** 3), "This upload is 2.50 GB; the browser takes runs up to 2 GB. Use `npx lim ingest <folder> --name <run>` for big runs.");
});
