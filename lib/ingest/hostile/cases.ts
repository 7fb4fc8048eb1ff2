import { parquetWriteBuffer } from "hyparquet-writer";

/**
 * The hostile-input corpus: malformed or hostile logs and datasets, each refused by `lim ingest`
 * with a message that names the file and, where the format has them, the line, row or element
 * and the field. Every case is declarative: the files to write into an empty temp folder (text,
 * or bytes made here: nothing large is committed), the ingest arguments, and what the message
 * must name. hostile-corpus.test.ts runs each one through the real CLI and also checks the exit
 * code, that no run was left behind, and that an existing run is byte-identical afterwards.
 *
 * To add a case: append an entry to HOSTILE_CASES. Its name becomes the run name (keep it to
 * a-z, 0-9 and dashes).
 */

/** A file's content, or a symlink to a path (relative to the link's folder). */
export type CaseFile = string | Uint8Array | { symlink: string };

export interface HostileCase {
  /** Unique; also the run name the ingest is asked to create. */
  name: string;
  /** Relative path -> content. Folders are made as needed. */
  files: Record<string, CaseFile>;
  /** The path given to `lim ingest`, relative to the temp folder. */
  path: string;
  format: "openrlhf" | "verl" | "trl" | "nemo-rl" | "jsonl" | "csv";
  /** --dataset, relative to the temp folder. */
  dataset?: string;
  /** Any other flags (--id-field id, ...). */
  flags?: string[];
  /** Permission bits to set after writing (relative path -> mode). */
  chmod?: Record<string, number>;
  /** Why the case cannot be run here, if it cannot (checked when the test runs). */
  skip?: () => string | false;
  expect: {
    /** The file the message must name. */
    file: RegExp;
    /** The line, row or element, where the format has them. */
    where?: RegExp;
    /** The field, where one is at fault. */
    field?: RegExp;
    /** Words the message must hold beyond the place ("save it as UTF-8"). */
    says?: RegExp;
  };
}

// --- Building blocks -------------------------------------------------------------------------

interface Rollout {
  prompt: unknown;
  response?: unknown;
  reward?: unknown;
  response_length?: unknown;
  [k: string]: unknown;
}

const good = (prompt: string, reward: number): Rollout => ({ prompt, response: `answer ${reward}`, reward, response_length: 8 });

/** OpenRLHF writes json.dump(..., indent=4). */
const steps = (rows: Rollout[]) => JSON.stringify(rows, null, 4);

const GOOD_STEP = steps([good("What is 1+1?", 1), good("What is 2+2?", 0), good("What is 3+3?", 1)]);

/** An OpenRLHF train/ folder: good steps 1 and 3, and the given step 2 (text or bytes). */
function openrlhf(step2: CaseFile, name = "step_2.json"): Record<string, CaseFile> {
  return { "train/step_1.json": GOOD_STEP, [`train/${name}`]: step2, "train/step_3.json": GOOD_STEP };
}

/** The same good steps with an "id" per rollout (for --id-field id), and the given step 2. */
function openrlhfWithIds(step2: CaseFile): Record<string, CaseFile> {
  const withIds = steps([good("What is 1+1?", 1), good("What is 2+2?", 0)].map((r, i) => ({ id: `q${i}`, ...r })));
  return { "train/step_1.json": withIds, "train/step_2.json": step2, "train/step_3.json": withIds };
}

/** Line 2 of a step-2 OpenRLHF file with one rollout per element; the bad one is element 1. */
function openrlhfBadElement(bad: string): string {
  const first = JSON.stringify(good("What is 1+1?", 1), null, 4);
  return `[\n${first},\n${bad}\n]`;
}

const verlLine = (o: Record<string, unknown>) => JSON.stringify({ input: "Q: 1+1?", output: "2", score: 1, step: 2, acc: true, ...o });

/** A verl rollout_data_dir: good 1.jsonl, the given 2.jsonl. */
function verl(step2: CaseFile): Record<string, CaseFile> {
  return { "rollouts/1.jsonl": [verlLine({ step: 1 }), verlLine({ step: 1, input: "Q: 2+2?" })].join("\n") + "\n", "rollouts/2.jsonl": step2 };
}

const nemoLine = (o: Record<string, unknown>) => JSON.stringify({ content: [["<user>1+1?</user>", "2"]], rewards: [1.0], token_loss_mask: [[0, 1]], idx: 0, ...o });

function nemo(step2: CaseFile): Record<string, CaseFile> {
  return { "logs/train_data_step1.jsonl": nemoLine({}) + "\n", "logs/train_data_step2.jsonl": step2 };
}

const jsonlLine = (o: Record<string, unknown>) => JSON.stringify({ prompt: "1+1?", step: 1, reward: 1, response: "2", ...o });

/** A generic JSONL log: line 1 good, line 2 the given text. */
const jsonl = (line2: string) => `${jsonlLine({})}\n${line2}\n${jsonlLine({ step: 2 })}\n`;

const CSV_HEAD = "prompt,step,reward,response";

function trlParquet(columns: { name: string; data: unknown[]; type: string; nullable?: boolean }[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: columns as Parameters<typeof parquetWriteBuffer>[0]["columnData"] }));
}

const TRL_GOOD = trlParquet([
  { name: "step", data: [1n, 1n], type: "INT64" },
  { name: "prompt", data: ["Q", "R"], type: "STRING" },
  { name: "completion", data: ["a", "b"], type: "STRING" },
  { name: "accuracy_reward", data: [1, 0], type: "DOUBLE" },
]);

/** The log every dataset case joins: a good OpenRLHF run over the GOOD_STEP prompts. */
const DATASET_LOG = { "train/step_1.json": GOOD_STEP, "train/step_2.json": GOOD_STEP };
const DATASET_ROWS = [
  { id: 1, prompt: "What is 1+1?", answer: "2" },
  { id: 2, prompt: "What is 2+2?", answer: "4" },
  { id: 3, prompt: "What is 3+3?", answer: "6" },
];

function utf16le(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
}

function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), le]));
}

/** UTF-16LE with no byte order mark: every ASCII character followed by a zero byte. */
function utf16leNoBom(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "utf16le"));
}

/** `text` as UTF-8 with BAD (the marker) replaced by C3 28: a lead byte whose continuation is missing. */
const BAD = "~BAD~";
function invalidUtf8(text: string): Uint8Array {
  const [before, after] = text.split(BAD);
  return new Uint8Array(Buffer.concat([Buffer.from(before, "utf8"), Buffer.from([0xc3, 0x28]), Buffer.from(after, "utf8")]));
}

/** A Parquet file whose string `marker` (ASCII around one "é") has the "é" broken into invalid UTF-8. */
function parquetWithInvalidUtf8(columns: { name: string; data: unknown[]; type: string }[], marker: string): Uint8Array {
  const buf = Buffer.from(trlParquet(columns));
  const m = Buffer.from(marker, "utf8");
  const at = m.indexOf(0xc3);
  let patched = 0;
  for (let i = buf.indexOf(m); i >= 0; i = buf.indexOf(m, i + 1), patched++) buf[i + at + 1] = 0x28;
  if (patched === 0) throw new Error(`marker ${marker} not found in the Parquet bytes`);
  return new Uint8Array(buf);
}

const UTF16 = /is UTF-16; save it as UTF-8/;
const UTF32 = /is UTF-32; save it as UTF-8/;
const NOT_UTF8 = /not valid UTF-8/;
const RAW_TAB = /raw control character U\+0009 \(tab\)/;
const AS_TEXT = /written as text/;


const deepArrays = (n: number) => "[".repeat(n) + "]".repeat(n);

/** Bytes with the Parquet magic at both ends and garbage between. */
function corruptParquet(): Uint8Array {
  const junk = Buffer.alloc(256);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
  return new Uint8Array(Buffer.concat([Buffer.from("PAR1"), junk, Buffer.from([0x10, 0, 0, 0]), Buffer.from("PAR1")]));
}

const isRoot = () => (process.getuid?.() === 0 ? "runs as root, where chmod 000 does not stop reads" : false);

const STEP2 = /step_2\.json/;
const ELEMENT1 = /element 1\b/;

// --- The corpus --------------------------------------------------------------------------------

export const HOSTILE_CASES: HostileCase[] = [
  // OpenRLHF step_N.json (the byte scanner)
  {
    name: "openrlhf-truncated-json",
    files: openrlhf(GOOD_STEP.slice(0, Math.floor(GOOD_STEP.length / 2))),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2 },
  },
  {
    name: "openrlhf-invalid-json-trailing-comma",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y", "reward": 1, "response_length": 1,}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1 },
  },
  {
    name: "openrlhf-string-reward",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y", "reward": "1.0", "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /reward/ },
  },
  {
    name: "openrlhf-nan-reward",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y", "reward": NaN, "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /reward/ },
  },
  {
    name: "openrlhf-infinity-reward",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y", "reward": Infinity, "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /reward/ },
  },
  {
    name: "openrlhf-overflowing-reward-id-field",
    files: openrlhfWithIds(
      `[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": "y", "reward": 1e999, "response_length": 1}\n]`,
    ),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /reward/ },
  },
  {
    name: "openrlhf-missing-reward",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y", "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /reward/ },
  },
  {
    name: "openrlhf-number-prompt",
    files: openrlhf(openrlhfBadElement(`    {"prompt": 17, "response": "y", "reward": 1, "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /prompt/ },
  },
  {
    name: "openrlhf-negative-length-id-field",
    files: openrlhfWithIds(
      `[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": "y", "reward": 1, "response_length": -3}\n]`,
    ),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /response_length/ },
  },
  {
    name: "openrlhf-object-not-array",
    files: openrlhf(JSON.stringify(good("x", 1))),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2 },
  },
  {
    name: "openrlhf-utf16",
    files: openrlhf(utf16le(GOOD_STEP)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, says: UTF16 },
  },
  {
    name: "openrlhf-zero-byte-file",
    files: openrlhf(""),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2 },
  },
  {
    name: "openrlhf-step-zero",
    files: openrlhf(GOOD_STEP, "step_0.json"),
    path: "train",
    format: "openrlhf",
    expect: { file: /step_0\.json/ },
  },
  {
    name: "openrlhf-negative-step",
    files: openrlhf(GOOD_STEP, "step_-1.json"),
    path: "train",
    format: "openrlhf",
    expect: { file: /step_-1\.json/ },
  },
  {
    name: "openrlhf-duplicate-step",
    files: openrlhf(GOOD_STEP, "step_01.json"),
    path: "train",
    format: "openrlhf",
    expect: { file: /step_0?1\.json/ },
  },
  {
    name: "openrlhf-deeply-nested-arrays",
    files: openrlhf(`[\n{"prompt": "x", "response": "y", "reward": 1, "response_length": 1, "extra": ${deepArrays(100_000)}}\n]`),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2 },
  },
  {
    name: "openrlhf-symlink-loop",
    files: { ...openrlhf({ symlink: "step_4.json" }), "train/step_4.json": { symlink: "step_2.json" } },
    path: "train",
    format: "openrlhf",
    expect: { file: /step_[24]\.json/ },
  },
  {
    name: "openrlhf-unreadable-file",
    files: openrlhf(GOOD_STEP),
    chmod: { "train/step_2.json": 0o000 },
    skip: isRoot,
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2 },
  },

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
  // The text rules, the same in every reader (formats/input-text.ts): UTF-8 only, no raw
  // control characters in JSON strings, numbers and flags typed as such outside CSV.
  {
    name: "openrlhf-invalid-utf8-prompt",
    files: openrlhf(invalidUtf8(openrlhfBadElement(`    {"prompt": "x${BAD}", "response": "y", "reward": 1, "response_length": 1}`))),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /"prompt"/, says: NOT_UTF8 },
  },
  {
    name: "openrlhf-invalid-utf8-skipped-response",
    files: openrlhf(invalidUtf8(openrlhfBadElement(`    {"prompt": "x", "response": "y${BAD}", "reward": 1, "response_length": 1}`))),
    path: "train",
    format: "openrlhf",
    flags: ["--keep-examples", "0"],
    expect: { file: STEP2, where: ELEMENT1, field: /"response"/, says: NOT_UTF8 },
  },
  {
    name: "openrlhf-invalid-utf8-other-field",
    files: openrlhf(invalidUtf8(openrlhfBadElement(`    {"prompt": "x", "response": "y", "reward": 1, "response_length": 1, "meta": {"tags": ["a${BAD}"]}}`))),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /"meta\.tags\.0"/, says: NOT_UTF8 },
  },
  {
    name: "openrlhf-invalid-utf8-id-field",
    files: openrlhfWithIds(invalidUtf8(`[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x${BAD}", "response": "y", "reward": 1, "response_length": 1}\n]`)),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /"prompt"/, says: NOT_UTF8 },
  },
  {
    name: "openrlhf-raw-tab-in-prompt",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x\ty", "response": "y", "reward": 1, "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, where: ELEMENT1, field: /"prompt"/, says: RAW_TAB },
  },
  {
    name: "openrlhf-raw-tab-in-kept-response",
    files: openrlhf(openrlhfBadElement(`    {"prompt": "x", "response": "y\tz", "reward": 1, "response_length": 1}`)),
    path: "train",
    format: "openrlhf",
    flags: ["--steps-per-epoch", "1"],
    expect: { file: STEP2, where: ELEMENT1, field: /"response"/, says: RAW_TAB },
  },
  {
    name: "openrlhf-raw-tab-id-field",
    files: openrlhfWithIds(`[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": "y\tz", "reward": 1, "response_length": 1}\n]`),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /"response"/, says: RAW_TAB },
  },
  {
    name: "openrlhf-utf16-be",
    files: openrlhf(utf16be(GOOD_STEP)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, says: UTF16 },
  },
  {
    name: "openrlhf-utf16-without-bom",
    files: openrlhf(utf16leNoBom(GOOD_STEP)),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, says: UTF16 },
  },
  {
    name: "openrlhf-utf16-id-field",
    files: { ...openrlhfWithIds(GOOD_STEP), "train/step_2.json": utf16le(GOOD_STEP) },
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, says: UTF16 },
  },
  {
    name: "openrlhf-utf32",
    files: openrlhf(new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(GOOD_STEP.split("").flatMap((c) => [c.charCodeAt(0), 0, 0, 0]))]))),
    path: "train",
    format: "openrlhf",
    expect: { file: STEP2, says: UTF32 },
  },
  {
    name: "openrlhf-text-length-id-field",
    files: openrlhfWithIds(`[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": "y", "reward": 1, "response_length": "8"}\n]`),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /response_length/, says: AS_TEXT },
  },
  {
    name: "openrlhf-missing-length-id-field",
    files: openrlhfWithIds(`[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": "y", "reward": 1}\n]`),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /response_length/ },
  },
  {
    name: "openrlhf-number-response-id-field",
    files: openrlhfWithIds(`[\n${JSON.stringify({ ...good("What is 1+1?", 1), id: "a" })},\n{"id": "b", "prompt": "x", "response": 4, "reward": 1, "response_length": 1}\n]`),
    path: "train",
    format: "openrlhf",
    flags: ["--id-field", "id"],
    expect: { file: STEP2, where: ELEMENT1, field: /response/ },
  },
  {
    name: "verl-invalid-utf8",
    files: verl(invalidUtf8(`${verlLine({})}\n${verlLine({ output: `2${BAD}` })}\n`)),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/, field: /"output"/, says: NOT_UTF8 },
  },
  {
    name: "verl-raw-tab",
    files: verl(`${verlLine({})}\n${verlLine({}).replace("Q: 1+1?", "Q:\t1+1?")}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:2\b/, field: /"input"/, says: RAW_TAB },
  },
  {
    name: "verl-utf16",
    files: verl(utf16le(`${verlLine({})}\n`)),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, says: UTF16 },
  },
  {
    name: "verl-text-acc",
    files: verl(`${verlLine({ acc: "true" })}\n`),
    path: "rollouts",
    format: "verl",
    expect: { file: /2\.jsonl/, where: /:1\b/, field: /"acc"/, says: AS_TEXT },
  },
  {
    name: "trl-invalid-utf8-prompt",
    files: {
      "out/completions/completions_00001.parquet": TRL_GOOD,
      "out/completions/completions_00002.parquet": parquetWithInvalidUtf8(
        [
          { name: "step", data: [2n, 2n], type: "INT64" },
          { name: "prompt", data: ["Q", "R\u00e9X"], type: "STRING" },
          { name: "completion", data: ["a", "b"], type: "STRING" },
          { name: "accuracy_reward", data: [1, 0], type: "DOUBLE" },
        ],
        "R\u00e9X",
      ),
    },
    path: "out",
    format: "trl",
    expect: { file: /completions_00002\.parquet/, where: /row 2\b/, field: /"prompt"/, says: NOT_UTF8 },
  },
  {
    name: "trl-text-reward-column",
    files: {
      "out/completions/completions_00001.parquet": trlParquet([
        { name: "step", data: [1n, 1n], type: "INT64" },
        { name: "prompt", data: ["Q", "R"], type: "STRING" },
        { name: "completion", data: ["a", "b"], type: "STRING" },
        { name: "judge", data: ["1.0", "0.0"], type: "STRING" },
      ]),
    },
    path: "out",
    format: "trl",
    flags: ["--reward-field", "judge"],
    expect: { file: /completions_00001\.parquet/, where: /row 1\b/, field: /"judge"/, says: AS_TEXT },
  },
  {
    name: "nemo-rl-numeric-text-reward",
    files: nemo(`${nemoLine({})}\n${nemoLine({ rewards: ["1.0"] })}\n`),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:2\b/, field: /rewards/, says: AS_TEXT },
  },
  {
    name: "nemo-rl-invalid-utf8",
    files: nemo(invalidUtf8(`${nemoLine({ content: [["<user>1+1?</user>", `2${BAD}`]] })}\n`)),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, where: /:1\b/, field: /"content\.0\.1"/, says: NOT_UTF8 },
  },
  {
    name: "nemo-rl-utf16",
    files: nemo(utf16le(`${nemoLine({})}\n`)),
    path: "logs",
    format: "nemo-rl",
    expect: { file: /train_data_step2\.jsonl/, says: UTF16 },
  },
  {
    name: "jsonl-numeric-text-reward",
    files: { "log.jsonl": jsonl(jsonlLine({ reward: "1.0" })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /reward/, says: AS_TEXT },
  },
  {
    name: "jsonl-numeric-text-step",
    files: { "log.jsonl": jsonl(jsonlLine({ step: "2" })) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /step/, says: AS_TEXT },
  },
  {
    name: "jsonl-text-success-flag",
    files: { "log.jsonl": [jsonlLine({ ok: true }), jsonlLine({ ok: "true" }), jsonlLine({ step: 2, ok: false })].join("\n") + "\n" },
    path: "log.jsonl",
    format: "jsonl",
    flags: ["--success-field", "ok"],
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /"ok"/, says: AS_TEXT },
  },
  {
    name: "jsonl-invalid-utf8",
    files: { "log.jsonl": invalidUtf8(jsonl(jsonlLine({ prompt: `2+2${BAD}?` }))) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /"prompt"/, says: NOT_UTF8 },
  },
  {
    name: "jsonl-raw-tab",
    files: { "log.jsonl": jsonl(jsonlLine({ response: "TAB" }).replace("TAB", "a\tb")) },
    path: "log.jsonl",
    format: "jsonl",
    expect: { file: /log\.jsonl/, where: /:2\b/, field: /"response"/, says: RAW_TAB },
  },
  {
    name: "csv-unnamed-column",
    files: { "log.csv": `prompt,,step,reward\n1+1?,x,1,1\n` },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, where: /line 1\b/, field: /column 2/ },
  },
  {
    name: "csv-utf16",
    files: { "log.csv": utf16le(`${CSV_HEAD}\n1+1?,1,1,2\n`) },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, says: UTF16 },
  },
  {
    name: "csv-utf16-be",
    files: { "log.csv": utf16be(`${CSV_HEAD}\n1+1?,1,1,2\n`) },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, says: UTF16 },
  },
  {
    name: "csv-invalid-utf8",
    files: { "log.csv": invalidUtf8(`${CSV_HEAD}\n1+1?,1,1,2\n2+2${BAD}?,1,1,4\n`) },
    path: "log.csv",
    format: "csv",
    expect: { file: /log\.csv/, where: /:3\b/, says: NOT_UTF8 },
  },
  {
    name: "dataset-json-invalid-utf8",
    files: { ...DATASET_LOG, "dataset.json": invalidUtf8(JSON.stringify([DATASET_ROWS[0], { ...DATASET_ROWS[1], answer: `4${BAD}` }, DATASET_ROWS[2]], null, 2)) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.json",
    expect: { file: /dataset\.json/, where: /row 1\b/, field: /"answer"/, says: NOT_UTF8 },
  },
  {
    name: "dataset-jsonl-raw-tab",
    files: { ...DATASET_LOG, "dataset.jsonl": DATASET_ROWS.map((r, i) => JSON.stringify(i === 1 ? { ...r, answer: "TAB" } : r).replace("TAB", "4\t")).join("\n") + "\n" },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.jsonl",
    expect: { file: /dataset\.jsonl/, where: /row 1\b/, field: /"answer"/, says: RAW_TAB },
  },
  {
    name: "dataset-csv-utf16",
    files: { ...DATASET_LOG, "dataset.csv": utf16le(`id,prompt,answer\n1,What is 1+1?,2\n`) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.csv",
    expect: { file: /dataset\.csv/, says: UTF16 },
  },
  {
    name: "dataset-csv-invalid-utf8",
    files: { ...DATASET_LOG, "dataset.csv": invalidUtf8(`id,prompt,answer\n1,What is 1+1?,2\n2,What is 2+2?,4${BAD}\n`) },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.csv",
    expect: { file: /dataset\.csv/, where: /:3\b/, says: NOT_UTF8 },
  },
  {
    name: "dataset-parquet-invalid-utf8",
    files: {
      ...DATASET_LOG,
      "dataset.parquet": parquetWithInvalidUtf8(
        [
          { name: "prompt", data: ["What is 1+1?", "What is 2+2?"], type: "STRING" },
          { name: "answer", data: ["2", "f\u00e9our"], type: "STRING" },
        ],
        "f\u00e9our",
      ),
    },
    path: "train",
    format: "openrlhf",
    dataset: "dataset.parquet",
    expect: { file: /dataset\.parquet/, where: /row 1\b/, field: /"answer"/, says: NOT_UTF8 },
  },
];
