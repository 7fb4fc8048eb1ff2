import type { HostileCase } from "./case-types";
import { corruptParquet, jsonl, nemo, nemoLine, TRL_GOOD, trlParquet, verl, verlLine } from "./case-builders";

/** Malformed verl, TRL and NeMo-RL logs. */
export const TRAINER_LOG_CASES: HostileCase[] = [
  // verl {global_step}.jsonl
  {
    name: "verl-invalid-json",
    files: verl(`${verlLine({})}\n{"input": "Q", "score": 1,\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/ },
  },
  {
    name: "verl-string-score",
    files: verl(`${verlLine({})}\n${verlLine({ score: "high" })}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/, field: /score/ },
  },
  {
    name: "verl-infinite-score",
    files: verl(`${verlLine({})}\n{"input": "Q", "output": "2", "score": 1e999, "step": 2}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/, field: /score/ },
  },
  {
    name: "verl-missing-input",
    files: verl(`${verlLine({})}\n${JSON.stringify({ output: "2", score: 1, step: 2 })}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/, field: /input/ },
  },
  {
    name: "verl-one-huge-line",
    files: verl(`${verlLine({})}\n{"input": "Q", "output": "${"x".repeat(32 << 20)}", "score": oops}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/ },
  },

  // TRL completions_NNNNN.parquet
  {
    name: "trl-zero-byte-parquet",
    files: { "out/completions/completions_00001.parquet": TRL_GOOD, "out/completions/completions_00002.parquet": new Uint8Array(0) },
    path: "out",
    format: "trl",
    expect: { file: /completions_00002\.parquet/ },
  },
  {
    name: "trl-corrupt-parquet",
    files: { "out/completions/completions_00001.parquet": TRL_GOOD, "out/completions/completions_00002.parquet": corruptParquet() },
    path: "out",
    format: "trl",
    expect: { file: /completions_00002\.parquet/ },
  },
  {
    name: "trl-missing-completion-column",
    files: {
      "out/completions/completions_00001.parquet": trlParquet([
        { name: "step", data: [1n], type: "INT64" },
        { name: "prompt", data: ["Q"], type: "STRING" },
        { name: "accuracy_reward", data: [1], type: "DOUBLE" },
      ]),
    },
    path: "out",
    format: "trl",
    expect: { file: /completions_00001\.parquet/, field: /completion/ },
  },
  {
    name: "trl-wrong-step-in-row",
    files: {
      "out/completions/completions_00001.parquet": trlParquet([
        { name: "step", data: [1n, 7n], type: "INT64" },
        { name: "prompt", data: ["Q", "R"], type: "STRING" },
        { name: "completion", data: ["a", "b"], type: "STRING" },
        { name: "accuracy_reward", data: [1, 0], type: "DOUBLE" },
      ]),
    },
    path: "out",
    format: "trl",
    expect: { file: /completions_00001\.parquet/, where: /row 2\b/, field: /step/ },
  },

  // NeMo-RL train_data_stepN.jsonl
  {
    name: "nemo-rl-missing-rewards",
    files: nemo(`${JSON.stringify({ content: [["<user>1+1?</user>", "2"]], idx: 0 })}\n`),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:1\b/, field: /rewards/ },
  },
  {
    name: "nemo-rl-string-reward",
    files: nemo(`${nemoLine({})}\n${nemoLine({ rewards: ["lots"] })}\n`),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:2\b/, field: /rewards/ },
  },
  {
    name: "nemo-rl-content-wrong-type",
    files: nemo(`${nemoLine({ content: [42] })}\n`),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:1\b/, field: /content/ },
  },
  {
    name: "nemo-rl-truncated-json",
    files: nemo(`${nemoLine({})}\n${nemoLine({}).slice(0, 30)}`),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:2\b/ },
  },
];
