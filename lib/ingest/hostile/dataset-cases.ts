import type { HostileCase } from "./case-types";
import { corruptParquet, DATASET_LOG, DATASET_ROWS, good, jsonl, openrlhf, UTF16, utf16le } from "./case-builders";

/** Malformed datasets (--dataset), each joined to a good OpenRLHF log. */
export const DATASET_CASES: HostileCase[] = [
  // Datasets (--dataset), joined to a good OpenRLHF log
  {
    name: "dataset-json-row-without-prompt",
    files: { ...DATASET_LOG, "dataset.json": JSON.stringify([DATASET_ROWS[0], { id: 2, question: "What is 2+2?" }, DATASET_ROWS[2]], null, 2) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.json",
    expect: { file: /dataset\.json/, where: /row 1\b/, field: /prompt/ },
  },
  {
    name: "dataset-json-truncated",
    files: { ...DATASET_LOG, "dataset.json": JSON.stringify(DATASET_ROWS, null, 2).slice(0, 60) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.json",
    expect: { file: /dataset\.json/ },
  },
  {
    name: "dataset-jsonl-invalid-json",
    files: { ...DATASET_LOG, "dataset.jsonl": `${JSON.stringify(DATASET_ROWS[0])}\n{"id": 2, "prompt": "What is 2+2?",, }\n${JSON.stringify(DATASET_ROWS[2])}\n` },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.jsonl",
    expect: { file: /dataset\.jsonl/, where: /row 1\b|line 2\b/ },
  },
  {
    name: "dataset-jsonl-number-prompt",
    files: { ...DATASET_LOG, "dataset.jsonl": DATASET_ROWS.map((r, i) => JSON.stringify(i === 1 ? { ...r, prompt: 4 } : r)).join("\n") + "\n" },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.jsonl",
    expect: { file: /dataset\.jsonl/, where: /row 1\b|line 2\b/, field: /prompt/ },
  },
  {
    name: "dataset-csv-without-prompt-column",
    files: { ...DATASET_LOG, "dataset.csv": `id,question,answer\n1,What is 1+1?,2\n` },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.csv",
    expect: { file: /dataset\.csv/, field: /prompt/ },
  },
  {
    name: "dataset-csv-ragged-row",
    files: { ...DATASET_LOG, "dataset.csv": `id,prompt,answer\n1,What is 1+1?,2\n2,What is 2+2?\n` },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.csv",
    expect: { file: /dataset\.csv/, where: /(row|line) 3\b|row 1\b/ },
  },
  {
    name: "dataset-parquet-zero-byte",
    files: { ...DATASET_LOG, "dataset.parquet": new Uint8Array(0) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.parquet",
    expect: { file: /dataset\.parquet/ },
  },
  {
    name: "dataset-parquet-corrupt",
    files: { ...DATASET_LOG, "dataset.parquet": corruptParquet() },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.parquet",
    expect: { file: /dataset\.parquet/ },
  },
  {
    name: "dataset-json-utf16",
    files: { ...DATASET_LOG, "dataset.json": utf16le(JSON.stringify(DATASET_ROWS)) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.json",
    expect: { file: /dataset\.json/, says: UTF16 },
  },
];
