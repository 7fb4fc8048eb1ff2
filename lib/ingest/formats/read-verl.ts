import { describeValue } from "./field-path";
import { listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { packStepBatch, type PackedStepBatch } from "../scan/pack-step-batch";
import type { ReadStepsOptions } from "./read-openrlhf";
import { examplesAt } from "./read-openrlhf";
import { fieldError, flagOf, idOf, mustBeNumber, numberOf, successOf, textNumberHint, type LogFields, type RowAt } from "./log-fields";
import { jsonlRows } from "./read-generic";
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
function verlRecord(r: Record<string, unknown>, at: RowAt, step: number, fields?: LogFields): RolloutRecord {
  const bad = (field: string, what: string) => fieldError(at, field, what);
  if (typeof r.input !== "string") throw bad("input", r.input === undefined ? "is missing" : `must be a string, got ${describeValue(r.input)}`);
  if (r.output !== undefined && typeof r.output !== "string") throw bad("output", `must be a string, got ${describeValue(r.output)}`);
  if (r.score === undefined) throw bad("score", "is missing");
  // JSON.parse cannot yield NaN/Infinity, but Python's json.dumps writes them as bare words,
  // which fail as bad JSON; a huge literal (1e999) parses to Infinity and is refused here.
  const score = numberOf(r.score);
  if (score === null) throw bad("score", mustBeNumber(r.score));
  if (r.step !== undefined && r.step !== step) throw bad("step", `is ${JSON.stringify(r.step)} but the file is step ${step}${textNumberHint(r.step)}`);
  // --success-field and --id-field name any logged key (a reward-info field such as "correct",
  // or "index" when the reward function logs the dataset's extra_info.index).
  let success = successOf(r, fields, at); // a field the user names wins over acc
  if (success === undefined && r.acc !== undefined && r.acc !== null) success = flagOf(r.acc, "acc", at);
  const output = (r.output as string | undefined) ?? "";
  // verl logs no token count: the response length is the output's length in characters.
  return { prompt: r.input, id: idOf(r, fields, at), response: output, reward: score, responseLength: output.length, success };
}

/** verl step files -> packed StepBatches in step order, each file streamed line by line and parsed on this thread. */
export async function* readVerlSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  for (const f of files) {
    const records: RolloutRecord[] = [];
    const keep = examplesAt(o, f.step);
    for await (const row of jsonlRows(f.path)) {
      const r = verlRecord(row.value as Record<string, unknown>, row.at, f.step, o.fields);
      if (keep === 0) r.response = ""; // its length is counted; the text is not needed
      records.push(r);
    }
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "at-least" as const, successField: o.fields?.success ?? "acc", keepExamples: keep, bytes: f.bytes };
    yield packStepBatch(batchFromRecords(records, opts));
    // Let timers (progress output) and I/O run between files.
    await new Promise((r) => setImmediate(r));
  }
}
