/**
 * The browser upload's protocol. The client posts multipart form data; the server answers
 * with newline-delimited JSON events as ingest goes, ending in "done" or "error".
 */
import { z } from "zod";
import type { LogFields } from "../ingest/formats/log-fields";
import { UPLOAD_FORMATS } from "./upload-files";
import { RUN_NAME_RULE, runNameProblem } from "../db/run-name";
import { formatBytes } from "./format";

export type UploadEvent =
  /** The files are stored and wait for the ingests ahead (the server runs one at a time); repeated as the place moves. */
  | { type: "queued"; ahead: number }
  | {
      type: "progress";
      /** Ingest's own phase: reading the dataset, inferring the epoch length, reading the log, storing. */
      stage: "dataset" | "infer" | "read" | "write";
      files: number;
      filesTotal: number;
      rollouts: number;
      bytes: number;
      bytesTotal: number;
      elapsedSeconds: number;
    }
  | { type: "warning"; message: string }
  | { type: "done"; run: string; prompts: number; rollouts: number; warnings: string[] }
  | { type: "error"; message: string };

export function encodeEvent(e: UploadEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** Splits a growing response text into complete events; returns them and the unread tail. */
export function readEvents(buffered: string): { events: UploadEvent[]; rest: string } {
  const events: UploadEvent[] = [];
  let start = 0;
  for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n", start)) {
    const line = buffered.slice(start, nl).trim();
    start = nl + 1;
    if (line) events.push(JSON.parse(line) as UploadEvent);
  }
  return { events, rest: buffered.slice(start) };
}

const optionalNumber = (field: string, integer: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === "") return undefined;
      const n = Number(s);
      if (!Number.isFinite(n) || (integer && (!Number.isInteger(n) || n < (field === "keepExamples" ? 0 : 1)))) {
        ctx.addIssue({ code: "custom", message: `${field} must be ${integer ? (field === "keepExamples" ? "a non-negative integer" : "a positive integer") : "a number"}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined));

export const uploadFieldsSchema = z.object({
  name: z
    .string({ message: "a run name is required" })
    .trim()
    .min(1, "a run name is required")
    .refine((name) => runNameProblem(name) === null, { message: `a run name keeps to ${RUN_NAME_RULE}` }),
  stepsPerEpoch: optionalNumber("stepsPerEpoch", true),
  successReward: optionalNumber("successReward", false),
  keepExamples: optionalNumber("keepExamples", true),
  /** The dataset's prompt and id fields. */
  promptField: optionalText,
  datasetIdField: optionalText,
  replace: z.enum(["on", "true", "false", ""]).optional().transform((v) => v === "on" || v === "true"),
  format: z
    .enum(["", ...UPLOAD_FORMATS], { message: `format must be one of ${UPLOAD_FORMATS.join(", ")}` })
    .optional()
    .transform((v) => (v ? v : "auto")),
  /** Log field names (--prompt-field, --step-field, ... of `lim ingest`). */
  logPrompt: optionalText,
  logStep: optionalText,
  logReward: optionalText,
  logSuccess: optionalText,
  logId: optionalText,
  epochMode: z
    .enum(["", "steps", "visits"], { message: "epochMode must be steps or visits" })
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type UploadFields = z.output<typeof uploadFieldsSchema>;

/** The log fields an upload names, as ingest's LogFields (undefined when none). */
export function uploadLogFields(f: UploadFields): LogFields | undefined {
  const fields: LogFields = {};
  if (f.logPrompt) fields.prompt = f.logPrompt;
  if (f.logStep) fields.step = f.logStep;
  if (f.logReward) fields.reward = f.logReward;
  if (f.logSuccess) fields.success = f.logSuccess;
  if (f.logId) fields.id = f.logId;
  return Object.keys(fields).length ? fields : undefined;
}

/** "2 GB", "64 MB": an upload cap as people say it. */
export function capText(maxBytes: number): string {
  if (maxBytes % 1024 ** 3 === 0) return `${maxBytes / 1024 ** 3} GB`;
  if (maxBytes % 1024 ** 2 === 0) return `${maxBytes / 1024 ** 2} MB`;
  return formatBytes(maxBytes);
}

const BIG_RUNS = "Use `npx lim ingest <folder> --name <run>` for big runs.";

/** Why an upload of `bytes` is refused, said the same by the page (before sending) and the server. */
export function uploadTooBig(bytes: number, maxBytes: number): string {
  return `This upload is ${formatBytes(bytes)}; the browser takes runs up to ${capText(maxBytes)}. ${BIG_RUNS}`;
}

/** Why a body of unknown length was refused when it passed the cap. */
export function uploadPassedCap(maxBytes: number): string {
  return `This upload passed ${capText(maxBytes)}, the most the browser takes; nothing of it was kept. ${BIG_RUNS}`;
}

/** File names kept from an upload: plain names only, never a path. */
export function safeFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? "";
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(base) ? base : null;
}


/** A default run name from a dropped folder ("runs/math8k/train" -> "math8k", "grpo/completions" -> "grpo"). */
export function runNameFromPath(relativePath: string): string | null {
  const parts = relativePath.split("/").filter(Boolean);
  parts.pop();
  while (parts.length && (parts[parts.length - 1] === "train" || parts[parts.length - 1] === "completions")) parts.pop();
  const last = parts[parts.length - 1];
  const name = last ? last.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 100) : "";
  return runNameProblem(name) === null ? name : null;
}
