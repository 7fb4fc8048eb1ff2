import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from "../export/export-file";
import type { ExportOrder } from "../export/manifest";
import { isMethodName, METHOD_NAMES } from "../methods/methods";
import { UsageError } from "./errors";
import { stringFlag } from "./flags";

/** The flags of a command that writes a curated set's rows (`lim export`, `lim transfer`). */
export const EXPORT_OPTIONS = {
  out: { type: "string", short: "o" },
  format: { type: "string", short: "f" },
  "with-scores": { type: "boolean" },
  manifest: { type: "boolean" },
} as const;

export const ORDER_OPTIONS = {
  "order-by": { type: "string" },
  descending: { type: "boolean" },
} as const;

export const EXPORT_HELP =
  "  --format    jsonl (default: one row per line, unchanged), json (an array, as LIMR's prompts file),\n" +
  "              parquet (the dataset's own columns and types)\n" +
  "  --manifest  also write FILE.manifest.json: run, method, rule, parameters, counts, SHA-256, version, time (needs --out FILE)\n";

export const ORDER_HELP =
  "  --order-by M  a curriculum: the rows ordered by method M's score (ascending; ties in dataset order, rows\n" +
  "              without a score last), for a trainer reading in order (shuffle=False)\n" +
  "  --descending  highest score first (--order-by pass-rate --descending: easy to hard)\n";

export interface ExportOutput {
  /** A file path, or "-" for stdout. */
  out: string;
  format: ExportFormat;
  manifest: boolean;
  withScores: boolean;
}

/** Where and how the rows are written, every conflict a usage error. */
export function exportOutput(values: Record<string, unknown>): ExportOutput {
  const out = stringFlag(values, "out") ?? "-";
  const format = stringFlag(values, "format") ?? "jsonl";
  if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${format}"`);
  const manifest = values.manifest === true;
  if (manifest && out === "-") throw new UsageError("--manifest needs --out FILE: the manifest is written beside the exported file");
  if (format === "parquet" && out === "-" && process.stdout.isTTY) {
    throw new UsageError("Parquet is binary: pass --out FILE or redirect stdout to a file");
  }
  return { out, format, manifest, withScores: values["with-scores"] === true };
}

/** `--order-by M [--descending]`: a curriculum's order, or undefined for dataset order. */
export function orderFlag(values: Record<string, unknown>): ExportOrder | undefined {
  const by = stringFlag(values, "order-by");
  if (by === undefined) {
    if (values.descending === true) throw new UsageError("--descending needs --order-by M");
    return undefined;
  }
  if (!isMethodName(by)) throw new UsageError(`--order-by must be one of ${METHOD_NAMES.join(", ")}, got "${by}"`);
  return { by, descending: values.descending === true };
}
