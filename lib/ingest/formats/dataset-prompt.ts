import { IngestError } from "../errors";
import { describeValue, idText, valueAt } from "./field-path";
import { trimPrompt } from "../scan/trim-prompt";

/** Where a dataset row keeps its prompt and (for identity by id) its id. */
export interface RowFields {
  /** Dotted path of the prompt: a string, or a list of chat messages (verl). */
  promptField: string;
  /** Dotted path of the row's id; absent when prompts are matched by text. */
  idField?: string;
  /** The flag that names another prompt field, for the hint in errors. */
  promptFlag?: string;
}

/** Where a row is, for errors: "FILE: row 3 (line 5, byte 120)". */
export interface RowPlace {
  file: string;
  rowIndex: number;
  /** Text after "row N", e.g. " (line 5, byte 120)". */
  detail?: string;
  offset?: number;
}

/**
 * A prompt's text: a string as it is, or, for a list of chat messages (a verl dataset's
 * `prompt`), the content of the last "user" message - the question the chat template wraps.
 * Content given as parts ([{type: "text", text}, {type: "image"}]) is its text parts joined.
 */
export function promptText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (!Array.isArray(v)) return null;
  for (let i = v.length - 1; i >= 0; i--) {
    const m = v[i] as { role?: unknown; content?: unknown } | null;
    if (m === null || typeof m !== "object" || m.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) {
      const texts = m.content.filter((p) => p && typeof p === "object" && typeof p.text === "string").map((p) => p.text as string);
      return texts.length > 0 ? texts.join("") : null;
    }
    return null;
  }
  return null;
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** The trimmed prompt (the join key) and the id of one parsed row; clear errors otherwise. */
export function rowKeys(value: unknown, f: RowFields, at: RowPlace): { prompt: string; id?: string } {
  const where = `${at.file}: row ${at.rowIndex}${at.detail ?? ""}`;
  const fail = (msg: string, field: string) => new IngestError(`${where}: ${msg}`, at.file, at.rowIndex, at.offset, field);
  const raw = valueAt(value, f.promptField);
  if (raw === undefined) throw fail(`missing field "${f.promptField}" (choose another with ${f.promptFlag ?? "--prompt-field"})`, f.promptField);
  const text = promptText(raw);
  if (text === null) {
    throw fail(`field "${f.promptField}" is ${kind(raw)}, expected a string or a list of chat messages with a user message`, f.promptField);
  }
  if (!f.idField) return { prompt: trimPrompt(text) };
  const rawId = valueAt(value, f.idField);
  if (rawId === undefined) throw fail(`missing id field "${f.idField}" (choose another with --dataset-id-field)`, f.idField);
  const id = idText(rawId);
  if (id === null) throw fail(`id field "${f.idField}" is ${describeValue(rawId)}, expected a string or a number`, f.idField);
  return { prompt: trimPrompt(text), id };
}

/**
 * Reads the keys of each row in turn. With id candidates (identity by id), the first one the
 * first row holds becomes the id field of every row: the user's --dataset-id-field, else the
 * log's own id field name, else verl's `extra_info.index`.
 */
export class RowKeyer {
  private fields: RowFields | null = null;

  constructor(
    private readonly o: { promptField: string; promptFlag?: string; idFields?: readonly string[] },
    private readonly chosen?: (idField: string | null) => void,
  ) {}

  keys(value: unknown, at: RowPlace): { prompt: string; id?: string } {
    if (this.fields === null) {
      const candidates = this.o.idFields ?? [];
      const idField = candidates.length === 0 ? undefined : (candidates.find((f) => valueAt(value, f) !== undefined) ?? candidates[0]);
      this.fields = { promptField: this.o.promptField, promptFlag: this.o.promptFlag, idField };
      this.chosen?.(idField ?? null);
    }
    return rowKeys(value, this.fields, at);
  }
}
