import { writeFileSync } from "node:fs";
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { mathAnswer } from "./math-text";
import { mulberry32, shuffle } from "./prng";
import { newQuestion } from "./synthetic-plan";

/**
 * Seeded training sets for the questions of a generated log, in each dataset format ingest
 * reads: JSON array, JSON Lines and CSV with flat rows, and Parquet laid out as verl's
 * preprocessing scripts write it (`prompt` a list of chat messages, `extra_info.index`).
 * Rows come shuffled, so a row's position is not its question's index, and a few questions
 * the log never trained are mixed in.
 */
export interface GenerateDatasetOptions {
  /** The log's questions (GeneratedVerlRun.questions) and their answers; extra_info.index is the position here. */
  questions: readonly string[];
  answers: readonly string[];
  /** Questions never trained, added with the next indices (default 3). */
  untrained?: number;
  /**
   * Parquet only: columns that exercise every kind of value a copy must keep exactly
   * (INT64 beyond 2^53, a double with null, NaN and -0, a boolean, raw bytes, a list of strings).
   */
  extras?: boolean;
  seed?: number;
}

export interface ChatMessage {
  role: string;
  content: string;
}

/** One row as verl's preprocessing writes it. */
export interface VerlDatasetRow {
  data_source: string;
  prompt: ChatMessage[];
  ability: string;
  reward_model: { ground_truth: string; style: string };
  extra_info: { answer: string; index: bigint; question: string; split: string };
  uid?: bigint;
  difficulty?: number | null;
  verified?: boolean;
  image?: Uint8Array | null;
  tags?: string[] | null;
}

/** The dataset's rows in file order (verl shape; the flat formats take index, prompt and answer from it). */
export function datasetRows(o: GenerateDatasetOptions): VerlDatasetRow[] {
  const r = mulberry32(o.seed ?? 11);
  const questions = [...o.questions];
  const answers = [...o.answers];
  const seen = new Set(questions);
  for (let i = 0; i < (o.untrained ?? 3); i++) {
    questions.push(newQuestion(r, seen));
    answers.push(mathAnswer(r));
  }
  const order = shuffle(r, questions.map((_, i) => i));
  return order.map((i, n) => {
    const row: VerlDatasetRow = {
      data_source: "lim/math-demo",
      prompt: [{ role: "user", content: questions[i] }],
      ability: "math",
      reward_model: { ground_truth: answers[i], style: "rule" },
      extra_info: { answer: answers[i], index: BigInt(i), question: questions[i], split: "train" },
    };
    if (o.extras) {
      row.uid = (1n << 62n) + BigInt(i) * 1_000_003n;
      row.difficulty = n % 5 === 4 ? null : n === 1 ? Number.NaN : n === 2 ? -0 : Math.round(r() * 1e6) / 1e3;
      row.verified = r() < 0.5;
      row.image = n % 3 === 2 ? null : Uint8Array.from({ length: 4 + (n % 4) }, (_, k) => (k * 97 + i * 31 + 255) % 256);
      row.tags = n % 4 === 3 ? null : n % 4 === 2 ? [] : ["algebra", `level ${1 + (i % 5)}`];
    }
    return row;
  });
}

/** The flat row of the JSON, JSON Lines and CSV datasets. */
export function flatRow(row: VerlDatasetRow): { index: number; prompt: string; answer: string } {
  return { index: Number(row.extra_info.index), prompt: row.prompt[0].content, answer: row.extra_info.answer };
}

export function writeJsonDataset(file: string, rows: readonly VerlDatasetRow[]): void {
  writeFileSync(file, JSON.stringify(rows.map(flatRow), null, 2));
}

export function writeJsonlDataset(file: string, rows: readonly VerlDatasetRow[]): void {
  writeFileSync(file, rows.map((row) => `${JSON.stringify(flatRow(row))}\n`).join(""));
}

/** RFC 4180 CSV: every cell quoted (questions hold commas, quotes and new lines). */
export function writeCsvDataset(file: string, rows: readonly VerlDatasetRow[]): void {
  const cell = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  const lines = ["index,prompt,answer", ...rows.map((row) => Object.values(flatRow(row)).map(cell).join(","))];
  writeFileSync(file, `${lines.join("\r\n")}\r\n`);
}

const STRING = { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" } as const;
const OPTIONAL = "OPTIONAL" as const;

/** The schema pyarrow writes for a verl dataset (plus the extras, when asked). */
export function verlSchema(extras: boolean): SchemaElement[] {
  const base: SchemaElement[] = [
    { name: "data_source", ...STRING },
    { name: "prompt", repetition_type: OPTIONAL, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", repetition_type: OPTIONAL, num_children: 2 },
    { name: "role", ...STRING },
    { name: "content", ...STRING },
    { name: "ability", ...STRING },
    { name: "reward_model", repetition_type: OPTIONAL, num_children: 2 },
    { name: "ground_truth", ...STRING },
    { name: "style", ...STRING },
    { name: "extra_info", repetition_type: OPTIONAL, num_children: 4 },
    { name: "answer", ...STRING },
    { name: "index", type: "INT64", repetition_type: OPTIONAL },
    { name: "question", ...STRING },
    { name: "split", ...STRING },
  ];
  const more: SchemaElement[] = [
    { name: "uid", type: "INT64", repetition_type: "REQUIRED" },
    { name: "difficulty", type: "DOUBLE", repetition_type: OPTIONAL },
    { name: "verified", type: "BOOLEAN", repetition_type: OPTIONAL },
    { name: "image", type: "BYTE_ARRAY", repetition_type: OPTIONAL },
    { name: "tags", repetition_type: OPTIONAL, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", ...STRING },
  ];
  const fields = extras ? [...base, ...more] : base;
  return [{ name: "schema", num_children: extras ? 10 : 5 }, ...fields];
}

/** Top-level column names, in schema order. */
const COLUMNS = ["data_source", "prompt", "ability", "reward_model", "extra_info"] as const;
const EXTRA_COLUMNS = ["uid", "difficulty", "verified", "image", "tags"] as const;

export function writeParquetDataset(file: string, rows: readonly VerlDatasetRow[], extras = false): void {
  const names: readonly string[] = extras ? [...COLUMNS, ...EXTRA_COLUMNS] : COLUMNS;
  const columnData = names.map((name) => ({ name, data: rows.map((row) => (row as unknown as Record<string, unknown>)[name] ?? null) }));
  const buffer = parquetWriteBuffer({
    columnData,
    schema: verlSchema(extras),
    rowGroupSize: 16, // several row groups even for a small set: the reader must stitch them
    kvMetadata: [{ key: "lim.demo", value: "verl-style dataset" }],
  });
  writeFileSync(file, new Uint8Array(buffer));
}
