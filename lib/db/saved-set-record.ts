import { asBoolean, asDate } from "./sql";

/**
 * Saved sets (lib/sets): a snapshot of one selection that outlives its run. No foreign key
 * to Run: re-ingesting the run with --replace or deleting it leaves its sets untouched.
 */
export interface SavedSetRecord {
  id: number;
  name: string;
  note: string | null;
  /** When the set was saved. */
  createdAt: Date;
  /** The run as it was at save time (it may since have been replaced or deleted). */
  run: { id: number | null; name: string; source: string; createdAt: Date; updatedAt: Date };
  /** The format `sets export` writes when none is asked. */
  format: string;
  withScores: boolean;
  method: string;
  /** lib/methods' Rule, as saved. */
  rule: unknown;
  seed: number | null;
  parameters: { stepsPerEpoch: number; maxEpochs: number; successReward: number; epochMode: string };
  counts: { prompts: number; scored: number; excluded: number; selected: number; rows: number };
  tool: { name: string; version: string };
  /** Every stored format: its export's size and SHA-256. */
  files: SavedSetFileInfo[];
}

export interface SavedSetFileInfo {
  format: string;
  bytes: number;
  sha256: string;
}

/** A set to store: its export bytes per format already deflated and cut into chunks. */
export interface NewSavedSet extends Omit<SavedSetRecord, "id" | "createdAt" | "files"> {
  /** Deflated JSON of the rows' identities. */
  identities: Uint8Array;
  files: (SavedSetFileInfo & { manifest: string; chunks: Uint8Array[] })[];
}

export class SetExistsError extends Error {
  constructor(readonly setName: string) {
    super(`a set named "${setName}" already exists; choose another name or replace it (--replace)`);
  }
}

export type SetFileRow = { format: string; bytes: number | bigint; sha256: string };

/** A SavedSet row (HEADER's columns) and its files as a record, whichever database read them. */
export function savedSetFromRow(r: Record<string, unknown>, files: readonly SetFileRow[]): SavedSetRecord {
  return {
    id: Number(r.id),
    name: String(r.name),
    note: r.note === null ? null : String(r.note),
    createdAt: asDate(r.createdAt),
    run: { id: r.runId === null ? null : Number(r.runId), name: String(r.runName), source: String(r.runSource), createdAt: asDate(r.runCreatedAt), updatedAt: asDate(r.runUpdatedAt) },
    format: String(r.format),
    withScores: asBoolean(r.withScores),
    method: String(r.method),
    rule: JSON.parse(String(r.rule)),
    seed: r.seed === null ? null : Number(r.seed),
    parameters: JSON.parse(String(r.parameters)),
    counts: { prompts: Number(r.prompts), scored: Number(r.scored), excluded: Number(r.excluded), selected: Number(r.selected), rows: Number(r.rows) },
    tool: { name: String(r.toolName), version: String(r.toolVersion) },
    files: files.map((f) => ({ format: f.format, bytes: Number(f.bytes), sha256: f.sha256 })),
  };
}
