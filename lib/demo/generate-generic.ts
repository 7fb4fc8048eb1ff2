import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { mathResponse } from "./math-text";
import { mulberry32, shuffle } from "./prng";
import { planPrompts, trainingSteps } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic rollout log as plain JSONL or CSV, one row per rollout
 * with a prompt, a step, a reward, a response, a success flag and a prompt id, under field
 * names of the caller's choosing (to exercise --prompt-field and friends). With `files` > 1
 * the rows are dealt round-robin into that many files of a directory, so a step's rows are
 * spread over files; `shuffleRows` writes them out of step order.
 */
export interface GenerateGenericOptions {
  /** The file to write (files = 1) or the directory of part-K files. */
  out: string;
  kind: "jsonl" | "csv";
  prompts?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  rolloutsPerPrompt?: number;
  /** Field names; a dotted id ("meta.uid") nests it in JSONL and is one column in CSV. */
  names?: Partial<Record<"prompt" | "step" | "reward" | "response" | "success" | "id", string>>;
  files?: number;
  shuffleRows?: boolean;
  seed?: number;
}

export interface GenericRow {
  prompt: string;
  step: number;
  reward: number;
  response: string;
  success: boolean;
  id: string;
}

export interface GeneratedGenericRun {
  /** The file, or the directory of files. */
  path: string;
  files: string[];
  rows: GenericRow[];
  steps: number;
  questions: string[];
}

export const GENERIC_NAMES = { prompt: "prompt", step: "step", reward: "reward", response: "response", success: "correct", id: "uid" };

function csvCell(v: string | number | boolean): string {
  const s = String(v);
  return /[",\n\r]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function jsonRow(r: GenericRow, n: typeof GENERIC_NAMES): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const set = (path: string, v: unknown) => {
    const parts = path.split(".");
    let at = o;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]] = v;
  };
  set(n.id, r.id);
  set(n.step, r.step);
  set(n.prompt, r.prompt);
  set(n.response, r.response);
  set(n.reward, r.reward);
  set(n.success, r.success);
  return o;
}

export function generateGeneric(opts: GenerateGenericOptions): GeneratedGenericRun {
  const o = { prompts: 30, epochs: 4, stepsPerEpoch: 3, rolloutsPerPrompt: 4, files: 1, shuffleRows: false, seed: 9, ...opts };
  const n = { ...GENERIC_NAMES, ...o.names };
  const r = mulberry32(o.seed);
  const { questions, answers, curves } = planPrompts(r, o.prompts, o.epochs);
  const rows: GenericRow[] = [];
  for (const { epoch, step, prompts } of trainingSteps(r, o)) {
    for (const p of prompts) {
      for (let j = 0; j < o.rolloutsPerPrompt; j++) {
        const ok = r() < curves[p].accuracy(epoch);
        // Partial credit now and then: a reward of 0.5 that is not a success.
        const reward = ok ? 1 : r() < 0.2 ? 0.5 : 0;
        const response = mathResponse(r, 40 + Math.floor(80 * r()), ok ? "correct" : "wrong") + (ok ? ` ${answers[p]}` : "");
        rows.push({ prompt: questions[p], step, reward, response, success: ok, id: `q-${p}` });
      }
    }
  }
  const written = o.shuffleRows ? shuffle(r, [...rows]) : rows;
  const parts: string[][] = Array.from({ length: o.files }, () => []);
  written.forEach((row, i) => {
    const text =
      o.kind === "jsonl" ? JSON.stringify(jsonRow(row, n)) : [row.id, row.step, row.prompt, row.response, row.reward, row.success].map(csvCell).join(",");
    parts[i % o.files].push(text);
  });
  const header = [n.id, n.step, n.prompt, n.response, n.reward, n.success].map(csvCell).join(",");
  const files = parts.map((_, k) => (o.files === 1 ? o.out : join(o.out, `part-${k + 1}.${o.kind}`)));
  mkdirSync(o.files === 1 ? dirname(o.out) : o.out, { recursive: true });
  parts.forEach((lines, k) => writeFileSync(files[k], (o.kind === "csv" ? [header, ...lines] : lines).map((l) => `${l}\n`).join("")));
  return { path: o.out, files, rows, steps: o.epochs * o.stepsPerEpoch, questions };
}
