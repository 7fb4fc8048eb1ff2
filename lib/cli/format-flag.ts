import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from "../export/export-file";
import { UsageError } from "./errors";
import { stringFlag } from "./flags";

/** `--format jsonl|json|parquet`, or undefined when not given. */
export function exportFormatFlag(values: Record<string, unknown>): ExportFormat | undefined {
  const format = stringFlag(values, "format");
  if (format !== undefined && !isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}, got "${format}"`);
  return format;
}
