import { readFileSync } from "node:fs";
import { IngestError } from "../errors";
import { listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { packStepBatch, type PackedStepBatch } from "../scan/pack-step-batch";
import type { ReadStepsOptions } from "./read-openrlhf";
import { examplesAt } from "./read-openrlhf";
import { idOf, successOf, type LogFields } from "./log-fields";
import { batchFromRecords, type RolloutRecord } from "../scan/record";

/**
 * verl's `trainer.rollout_data_dir`: one `{global_step}.jsonl` per step, one object per
 * rollout with `input` (the prompt as the model saw it, chat template included), `output`,
 * `score`, `step`, optional `gts` and one key per reward-info field (`acc`, `pred`, ...).
 */
export function listVerlFiles(path: string): StepFileListing {
  return listStepFiles(path, { pattern: /^(\d+)\.jsonl$/, name: "N.jsonl" });
}

/**
 * Success is `acc` when the reward function logs it (it is what the reward meant by
 * "correct", whatever the score's scale), or a field the user names (--success-field); else
 * the record leaves it to the reader's rule, score >= the success reward (verl's own reading
 * of a scalar score), which scoring can recount for another success reward.
 */
function verlRecord(line: string, file: string, lineNo: number, step: number, fields?: LogFields): RolloutRecord {
  const bad = (field: string, what: string) => new IngestError(`${file}:${lineNo}: field "${field}" ${what}`, file, lineNo - 1, undefined, field);
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new IngestError(`${file}:${lineNo}: not valid JSON (${(e as Error).message})`, file, lineNo - 1);
  }
  if (o === null || typeof o !== "object" || Array.isArray(o)) throw new IngestError(`${file}:${lineNo}: expected a JSON object per line`, file, lineNo - 1);
  const r = o as Record<string, unknown>;
  if (typeof r.input !== "string") throw bad("input", r.input === undefined ? "is missing" : "must be a string");
  if (r.output !== undefined && typeof r.output !== "string") throw bad("output", "must be a string");
  if (typeof r.score !== "number") throw bad("score", r.score === undefined ? "is missing" : `must be a number, got ${JSON.stringify(r.score)}`);
  // JSON.parse cannot yield NaN/Infinity, but Python's json.dumps writes them as bare words,
  // which fail above as bad JSON; a huge literal (1e999) parses to Infinity and lands here.
  if (!Number.isFinite(r.score)) throw bad("score", `must be a finite number, got ${r.score}`);
  if (r.step !== undefined && r.step !== step) throw bad("step", `is ${JSON.stringify(r.step)} but the file is step ${step}`);
  // --success-field and --id-field name any logged key (a reward-info field such as "correct",
  // or "index" when the reward function logs the dataset's extra_info.index).
  const at = { file, where: `${file}:${lineNo}`, index: lineNo - 1 };
  let success = successOf(r, fields, at); // a field the user names wins over acc
  if (success === undefined && r.acc !== undefined && r.acc !== null) {
    if (typeof r.acc === "boolean") success = r.acc;
    else if (r.acc === 0 || r.acc === 1) success = r.acc === 1;
    else throw bad("acc", `must be true/false (or 0/1), got ${JSON.stringify(r.acc)}`);
  }
  const output = (r.output as string | undefined) ?? "";
  // verl logs no token count: the response length is the output's length in characters.
  return { prompt: r.input, id: idOf(r, fields, at), response: output, reward: r.score, responseLength: output.length, success };
}

function* verlRecords(text: string, file: string, step: number, fields?: LogFields): Generator<RolloutRecord> {
  let lineNo = 0;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(at, end);
    at = end + 1;
    if (line.trim() === "") continue; // a trailing newline, or a blank line between objects
    yield verlRecord(line, file, lineNo, step, fields);
  }
}

/** verl step files -> packed StepBatches in step order, parsed on this thread (JSONL lines are small). */
export async function* readVerlSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  for (const f of files) {
    const text = readFileSync(f.path, "utf8");
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "at-least" as const, successField: o.fields?.success ?? "acc", keepExamples: examplesAt(o, f.step), bytes: f.bytes };
    yield packStepBatch(batchFromRecords(verlRecords(text, f.path, f.step, o.fields), opts));
    // Let timers (progress output) and I/O run between files.
    await new Promise((r) => setImmediate(r));
  }
}
