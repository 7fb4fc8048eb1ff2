import type { HostileCase } from "./case-types";
import { CSV_HEAD, deepArrays, jsonl, jsonlLine, UTF16, utf16le } from "./case-builders";

/** Malformed generic JSONL and CSV logs. */
export const GENERIC_LOG_CASES: HostileCase[] = [
  // Generic JSONL
  {
    name: "jsonl-nan-reward",
    files: { "log.jsonl": jsonl(`{"prompt": "2+2?", "step": 1, "reward": NaN}`) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/ },
  },
  {
    name: "jsonl-string-reward",
    files: { "log.jsonl": jsonl(jsonlLine({ reward: "yes" })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /reward/ },
  },
  {
    name: "jsonl-missing-step",
    files: { "log.jsonl": jsonl(JSON.stringify({ prompt: "2+2?", reward: 1 })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /step/ },
  },
  {
    name: "jsonl-step-zero",
    files: { "log.jsonl": jsonl(jsonlLine({ step: 0 })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /step/ },
  },
  {
    name: "jsonl-negative-step",
    files: { "log.jsonl": jsonl(jsonlLine({ step: -4 })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /step/ },
  },
  {
    name: "jsonl-fractional-step",
    files: { "log.jsonl": jsonl(jsonlLine({ step: 1.5 })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /step/ },
  },
  {
    name: "jsonl-deeply-nested-arrays",
    files: { "log.jsonl": jsonl(`{"prompt": "2+2?", "step": 1, "reward": ${deepArrays(100_000)}}`) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /reward/ },
  },
  {
    name: "jsonl-utf16",
    files: { "log.jsonl": utf16le(jsonl(jsonlLine({}))) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, says: UTF16 },
  },
  {
    name: "jsonl-zero-byte-file",
    files: { "log.jsonl": "" },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/ },
  },

  // Generic CSV
  {
    name: "csv-ragged-row",
    files: { "log.csv": `${CSV_HEAD}\n1+1?,1,1,2\n2+2?,1\n` },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, where: /(row|line) 3\b|:3\b/ },
  },
  {
    name: "csv-string-reward",
    files: { "log.csv": `${CSV_HEAD}\n1+1?,1,1,2\n2+2?,1,high,4\n` },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, where: /(row|line) 3\b|:3\b/, field: /reward/ },
  },
  {
    name: "csv-missing-reward-column",
    files: { "log.csv": `prompt,step,response\n1+1?,1,2\n` },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, field: /reward/ },
  },
  {
    name: "csv-duplicate-header",
    files: { "log.csv": `prompt,step,reward,reward\n1+1?,1,1,0\n` },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, field: /reward/ },
  },
  {
    name: "csv-zero-byte-file",
    files: { "log.csv": "" },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/ },
  },
];
