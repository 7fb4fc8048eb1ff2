import type { SavedSetRecord } from "../db";
import type { ExportFormat } from "../export/export-file";
import type { Rule } from "../methods/select";
import type { MethodName } from "../methods/methods";

/**
 * A saved set as lib/sets hands it out (CLI `sets show --json`, the web pages): its
 * provenance, counts and, per stored format, the size and SHA-256 of the export bytes.
 */
export interface SavedSet extends Omit<SavedSetRecord, "format" | "method" | "rule" | "files"> {
  format: ExportFormat;
  method: MethodName;
  rule: Rule;
  files: { format: ExportFormat; bytes: number; sha256: string }[];
}
