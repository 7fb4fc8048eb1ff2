/**
 * The browser upload's protocol. The client posts multipart form data; the server answers
 * with newline-delimited JSON events as ingest goes, ending in "done" or "error".
 */
import { z } from "zod";

export type UploadEvent =
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

export const uploadFieldsSchema = z.object({
  name: z
    .string({ message: "a run name is required" })
    .trim()
    .min(1, "a run name is required")
    .max(200, "the run name is too long (200 characters at most)"),
  stepsPerEpoch: optionalNumber("stepsPerEpoch", true),
  successReward: optionalNumber("successReward", false),
  keepExamples: optionalNumber("keepExamples", true),
  promptField: z.string().trim().optional().transform((s) => (s ? s : undefined)),
  replace: z.enum(["on", "true", "false", ""]).optional().transform((v) => v === "on" || v === "true"),
});

export type UploadFields = z.output<typeof uploadFieldsSchema>;

/** File names kept from an upload: plain names only, never a path. */
export function safeFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? "";
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(base) ? base : null;
}

/** Which dropped files are step logs: step_N.json (anything else in a folder is ignored). */
export function isStepFile(name: string): boolean {
  return /^step_\d+\.json$/.test(name.split(/[\\/]/).pop() ?? "");
}

/** A default run name from a dropped folder ("runs/math8k/train" -> "math8k"). */
export function runNameFromPath(relativePath: string): string | null {
  const parts = relativePath.split("/").filter(Boolean);
  parts.pop();
  while (parts.length && parts[parts.length - 1] === "train") parts.pop();
  const last = parts[parts.length - 1];
  return last ? last.replace(/[^A-Za-z0-9._-]+/g, "-") : null;
}
