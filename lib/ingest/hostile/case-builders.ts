import { parquetWriteBuffer } from "hyparquet-writer";
import type { CaseFile } from "./case-types";

/** Building blocks of the hostile-input corpus: good logs to spoil, bad bytes, expected words. */
export interface Rollout {
  prompt: unknown;
  response?: unknown;
  reward?: unknown;
  response_length?: unknown;
  [k: string]: unknown;
}

export const good = (prompt: string, reward: number): Rollout => ({ prompt, response: `answer ${reward}`, reward, response_length: 8 });

/** OpenRLHF writes json.dump(..., indent=4). */
export const steps = (rows: Rollout[]) => JSON.stringify(rows, null, 4);

export const GOOD_STEP = steps([good("What is 1+1?", 1), good("What is 2+2?", 0), good("What is 3+3?", 1)]);

/** An OpenRLHF train/ folder: good steps 1 and 3, and the given step 2 (text or bytes). */
export function openrlhf(step2: CaseFile, name = "step_2.json"): Record<string, CaseFile> {
  return { "train/step_1.json": GOOD_STEP, [`train/${name}`]: step2, "train/step_3.json": GOOD_STEP };
}

/** The same good steps with an "id" per rollout (for --id-field id), and the given step 2. */
export function openrlhfWithIds(step2: CaseFile): Record<string, CaseFile> {
  const withIds = steps([good("What is 1+1?", 1), good("What is 2+2?", 0)].map((r, i) => ({ id: `q${i}`, ...r })));
  return { "train/step_1.json": withIds, "train/step_2.json": step2, "train/step_3.json": withIds };
}

/** Line 2 of a step-2 OpenRLHF file with one rollout per element; the bad one is element 1. */
export function openrlhfBadElement(bad: string): string {
  const first = JSON.stringify(good("What is 1+1?", 1), null, 4);
  return `[\n${first},\n${bad}\n]`;
}

export const verlLine = (o: Record<string, unknown>) => JSON.stringify({ input: "Q: 1+1?", output: "2", score: 1, step: 2, acc: true, ...o });

/** A verl rollout_data_dir: good 1.jsonl, the given 2.jsonl. */
export function verl(step2: CaseFile): Record<string, CaseFile> {
  return { "rollouts/1.jsonl": [verlLine({ step: 1 }), verlLine({ step: 1, input: "Q: 2+2?" })].join("\n") + "\n", "rollouts/2.jsonl": step2 };
}

export const nemoLine = (o: Record<string, unknown>) => JSON.stringify({ content: [["<user>1+1?</user>", "2"]], rewards: [1.0], token_loss_mask: [[0, 1]], idx: 0, ...o });

export function nemo(step2: CaseFile): Record<string, CaseFile> {
  return { "logs/train_data_step1.jsonl": nemoLine({}) + "\n", "logs/train_data_step2.jsonl": step2 };
}

export const jsonlLine = (o: Record<string, unknown>) => JSON.stringify({ prompt: "1+1?", step: 1, reward: 1, response: "2", ...o });

/** A generic JSONL log: line 1 good, line 2 the given text. */
export const jsonl = (line2: string) => `${jsonlLine({})}\n${line2}\n${jsonlLine({ step: 2 })}\n`;

export const CSV_HEAD = "prompt,step,reward,response";

export function trlParquet(columns: { name: string; data: unknown[]; type: string; nullable?: boolean }[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: columns as Parameters<typeof parquetWriteBuffer>[0]["columnData"] }));
}

export const TRL_GOOD = trlParquet([
  { name: "step", data: [1n, 1n], type: "INT64" },
  { name: "prompt", data: ["Q", "R"], type: "STRING" },
  { name: "completion", data: ["a", "b"], type: "STRING" },
  { name: "accuracy_reward", data: [1, 0], type: "DOUBLE" },
]);

/** The log every dataset case joins: a good OpenRLHF run over the GOOD_STEP prompts. */
export const DATASET_LOG = { "train/step_1.json": GOOD_STEP, "train/step_2.json": GOOD_STEP };
export const DATASET_ROWS = [
  { id: 1, prompt: "What is 1+1?", answer: "2" },
  { id: 2, prompt: "What is 2+2?", answer: "4" },
  { id: 3, prompt: "What is 3+3?", answer: "6" },
];

export function utf16le(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
}

export function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), le]));
}

/** UTF-16LE with no byte order mark: every ASCII character followed by a zero byte. */
export function utf16leNoBom(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "utf16le"));
}

/** `text` as UTF-8 with BAD (the marker) replaced by C3 28: a lead byte whose continuation is missing. */
export const BAD = "~BAD~";
export function invalidUtf8(text: string): Uint8Array {
  const [before, after] = text.split(BAD);
  return new Uint8Array(Buffer.concat([Buffer.from(before, "utf8"), Buffer.from([0xc3, 0x28]), Buffer.from(after, "utf8")]));
}

/** A Parquet file whose string `marker` (ASCII around one "é") has the "é" broken into invalid UTF-8. */
export function parquetWithInvalidUtf8(columns: { name: string; data: unknown[]; type: string }[], marker: string): Uint8Array {
  const buf = Buffer.from(trlParquet(columns));
  const m = Buffer.from(marker, "utf8");
  const at = m.indexOf(0xc3);
  let patched = 0;
  for (let i = buf.indexOf(m); i >= 0; i = buf.indexOf(m, i + 1), patched++) buf[i + at + 1] = 0x28;
  if (patched === 0) throw new Error(`marker ${marker} not found in the Parquet bytes`);
  return new Uint8Array(buf);
}

export const UTF16 = /is UTF-16; save it as UTF-8/;
export const UTF32 = /is UTF-32; save it as UTF-8/;
export const NOT_UTF8 = /not valid UTF-8/;
export const RAW_TAB = /raw control character U\+0009 \(tab\)/;
export const AS_TEXT = /written as text/;


export const deepArrays = (n: number) => "[".repeat(n) + "]".repeat(n);

/** Bytes with the Parquet magic at both ends and garbage between. */
export function corruptParquet(): Uint8Array {
  const junk = Buffer.alloc(256);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
  return new Uint8Array(Buffer.concat([Buffer.from("PAR1"), junk, Buffer.from([0x10, 0, 0, 0]), Buffer.from("PAR1")]));
}

export const isRoot = () => (process.getuid?.() === 0 ? "runs as root, where chmod 000 does not stop reads" : false);

export const STEP2 = /step_2\.json/;
export const ELEMENT1 = /element 1\b/;
