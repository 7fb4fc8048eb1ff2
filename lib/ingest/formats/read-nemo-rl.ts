import { promptText } from "./dataset-prompt";
import { IngestError } from "../errors";
import { describeValue, keysOf, valueAt } from "./field-path";
import { listStepFiles, type StepFile, type StepFileListing } from "./list-step-files";
import { fieldError, idOf, mustBeNumber, numberOf, successOf, type LogFields, type RowAt } from "./log-fields";
import { packStepBatch, type PackedStepBatch } from "../scan/pack-step-batch";
import { jsonlRows } from "./read-generic";
import type { ReadStepsOptions } from "./read-openrlhf";
import { examplesAt } from "./read-openrlhf";
import { batchFromRecords, type RolloutRecord } from "../scan/record";

/**
 * NeMo-RL's GRPO (grpo.py, `logger.log_batched_dict_as_jsonl(log_data,
 * f"train_data_step{step + 1}.jsonl")`) writes one line per rollout: the batch is cut into
 * micro-batches of one, so every field is a list holding that rollout's value, and the logger
 * adds `idx`, the line's index in the file. Fields: `content` (the texts of the message log's
 * turns: the chat-templated prompt turn(s), then the generated response), `rewards`,
 * `input_lengths`, `token_ids`, `token_loss_mask` (1 on generated tokens),
 * `sample_loss_mask`, `advantages`, logprobs; with dynamic sampling also `filtered_rewards`.
 */
export function listNemoRlFiles(path: string): StepFileListing {
  return listStepFiles(path, { pattern: /^train_data_step(\d+)\.jsonl$/, name: "train_data_stepN.jsonl" });
}

/** A field as one rollout's value: the single element of its batch-of-one list. */
function own(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

/** Generated segments in a token loss mask: more than one is a multi-turn rollout. */
function generatedTurns(mask: unknown): number {
  if (!Array.isArray(mask)) return 0;
  let runs = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && mask[i - 1] !== 1) runs++;
  return runs;
}

/** Text from a named field: a string, turn texts (joined as the model read them), or chat messages. */
function textAt(row: unknown, field: string, at: RowAt, flag: string): string {
  const v = valueAt(row, field);
  if (v === undefined) throw fieldError(at, field, `is missing (${flag}; the row has: ${keysOf(row)})`);
  if (Array.isArray(v) && v.every((t) => typeof t === "string")) return v.join("");
  const text = promptText(v);
  if (text === null) throw fieldError(at, field, `is ${describeValue(v)}, expected text`);
  return text;
}

function nemoRecord(line: Record<string, unknown>, at: RowAt, o: ReadStepsOptions): RolloutRecord {
  // Unwrapped, so that --prompt-field content.0 names the first turn, not the batch's first rollout.
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(line)) row[k] = own(v);
  const f: LogFields | undefined = o.fields;
  let turns: string[] = [];
  if (!f?.prompt || !f?.response) {
    const c = row.content;
    if (c === undefined) throw fieldError(at, "content", `is missing (the row has: ${keysOf(line)})`);
    if (!Array.isArray(c) || c.length < 2 || !c.every((t) => typeof t === "string")) {
      throw fieldError(at, "content", `is ${describeValue(c)}, expected the turn texts of one rollout: prompt turn(s), then the response`);
    }
    turns = c;
  }
  let prompt: string;
  if (f?.prompt) prompt = textAt(row, f.prompt, at, "--prompt-field");
  else {
    const generated = generatedTurns(row.token_loss_mask);
    if (generated > 1) {
      throw fieldError(at, "content", `holds a multi-turn rollout (${generated} generated turns in token_loss_mask); name the turn with the question, e.g. --prompt-field content.0`);
    }
    // Every turn before the response: the prompt as the model read it (system and user turns).
    prompt = turns.slice(0, -1).join("");
  }
  const response = f?.response ? textAt(row, f.response, at, "--response-field") : turns[turns.length - 1];
  const rewardField = f?.reward ?? "rewards";
  const raw = valueAt(row, rewardField);
  if (raw === undefined) throw fieldError(at, rewardField, `is missing (${f?.reward ? "--reward-field; " : ""}the row has: ${keysOf(line)})`);
  const reward = numberOf(own(raw));
  if (reward === null) throw fieldError(at, rewardField, mustBeNumber(own(raw)));
  const success = successOf(row, f, at); // absent: the reader's rule, reward >= R
  // Generated tokens, as OpenRLHF counts response_length; the text's length when the mask is absent.
  const mask = row.token_loss_mask;
  const responseLength = Array.isArray(mask) ? mask.reduce((n: number, x) => n + (x === 1 ? 1 : 0), 0) : response.length;
  return { prompt, id: idOf(row, f, at), response, reward, responseLength, success };
}

/** NeMo-RL step files -> packed StepBatches in step order, each file streamed line by line. */
export async function* readNemoRlSteps(files: readonly StepFile[], o: ReadStepsOptions): AsyncGenerator<PackedStepBatch> {
  if (o.fields?.id === "idx") {
    throw new IngestError(
      `--id-field idx: NeMo-RL's idx is the line's position in its train_data_stepN.jsonl (the logger numbers the lines), not a prompt id; leave --id-field out to identify prompts by their text`,
      files[0]?.path,
      undefined,
      undefined,
      "idx",
    );
  }
  for (const f of files) {
    const records: RolloutRecord[] = [];
    for await (const row of jsonlRows(f.path)) {
      const r = nemoRecord(row.value as Record<string, unknown>, row.at, o);
      if (o.keepExamples === 0) r.response = "";
      records.push(r);
    }
    const opts = { step: f.step, file: f.path, successReward: o.successReward, successRule: "at-least" as const, successField: o.fields?.success, keepExamples: examplesAt(o, f.step), bytes: f.bytes };
    yield packStepBatch(batchFromRecords(records, opts));
  }
}
