/** Shapes for the prompt page: dataset fields and example rollouts grouped by epoch. */
import { epochOfStep } from "../lim/epochs";
import type { DatasetRowRecord, ExampleRecord } from "../db/types";
import type { EpochMode } from "../lim/types";

export interface DatasetField {
  key: string;
  /** Strings as they are; anything else as compact JSON. */
  value: string;
}

/** A dataset row's fields in their original order, minus the prompt (shown on its own). */
export function datasetFields(row: DatasetRowRecord, promptField: string): DatasetField[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.json);
  } catch {
    return [{ key: "(row)", value: row.json }];
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [{ key: "(row)", value: row.json }];
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([k]) => k !== promptField)
    .map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }));
}

export interface EpochExamples {
  epoch: number;
  examples: ExampleRecord[];
}

/**
 * Kept rollouts per epoch (under the parameters in force, which may differ from ingest's).
 * By visits, `visitSteps` are the prompt's steps with rollouts, ascending: step visitSteps[k-1] is epoch k.
 */
export function examplesByEpoch(examples: readonly ExampleRecord[], stepsPerEpoch: number, mode: EpochMode = "steps", visitSteps: readonly number[] = []): EpochExamples[] {
  const byEpoch = new Map<number, ExampleRecord[]>();
  const visitOf = new Map(visitSteps.map((step, i) => [step, i + 1]));
  for (const ex of examples) {
    const k = mode === "visits" ? (visitOf.get(ex.step) ?? 0) : epochOfStep(ex.step, stepsPerEpoch);
    const list = byEpoch.get(k) ?? [];
    list.push(ex);
    byEpoch.set(k, list);
  }
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, list]) => ({ epoch, examples: list.sort((a, b) => a.step - b.step) }));
}

/** Long text folds: the first lines show, the rest opens on demand. */
/**
 * A folded text's tail as the page sends it: at most `SENT_CHARS` characters (a 20 MB prompt
 * is a log's accident, and would be 20 MB of page), the count of those left out, and whether
 * its math is rendered (not past `MATH_CHARS`: KaTeX's markup is ~40x the text).
 */
export const SENT_CHARS = 200_000;
export const MATH_CHARS = 20_000;

export function foldedRest(rest: string): { text: string; hidden: number; math: boolean } {
  const text = rest.length > SENT_CHARS ? rest.slice(0, SENT_CHARS) : rest;
  return { text, hidden: rest.length - text.length, math: text.length <= MATH_CHARS };
}

export function foldText(text: string, maxChars = 700): { head: string; rest: string } {
  if (text.length <= maxChars) return { head: text, rest: "" };
  let cut = text.lastIndexOf("\n", maxChars);
  if (cut < maxChars * 0.5) cut = text.lastIndexOf(" ", maxChars);
  if (cut < maxChars * 0.5) cut = maxChars;
  return { head: text.slice(0, cut), rest: text.slice(cut) };
}
