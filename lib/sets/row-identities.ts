import { streamDatasetRows } from "../db";
import type { RunRecord } from "../db/types";
import { exportLines, type ExportOptions } from "../export/export-lines";
import { idText, valueAt } from "../ingest/formats/field-path";
import type { ScoredRun } from "../runs/score-run";

/**
 * Which dataset row one exported row is: its index in the dataset (null for a run without a
 * dataset, whose rows are `{"prompt": ...}`), its trimmed prompt, and the dataset's id for it
 * when the run identifies prompts by id (else null). `lim sets diff` counts by these.
 */
export interface RowIdentity {
  row: number | null;
  prompt: string;
  id: string | null;
}

/**
 * The identities of the rows an export writes, in the same order. exportLines gives each
 * selected dataset row's text unchanged (without scores), in dataset order, so walking the
 * dataset rows beside it finds each one: no second copy of the selection rule.
 */
export async function rowIdentities(scored: ScoredRun, opts: Omit<ExportOptions, "withScores">): Promise<RowIdentity[]> {
  const lines = exportLines(scored, { ...opts, withScores: false });
  const out: RowIdentity[] = [];
  if (scored.run.datasetFile === null) {
    for await (const line of lines) out.push({ row: null, prompt: (JSON.parse(line) as { prompt: string }).prompt, id: null });
    return out;
  }
  const idFields = scored.run.idField === null ? null : datasetIdFields(scored.run);
  const rows = streamDatasetRows(scored.run.id)[Symbol.asyncIterator]();
  for await (const line of lines) {
    for (;;) {
      const next = await rows.next();
      if (next.done) throw new Error(`exported row ${out.length + 1} of run "${scored.run.name}" is not among its dataset rows`);
      const row = next.value;
      if (row.json.length + 1 !== line.length || !line.startsWith(row.json)) continue;
      out.push({ row: row.rowIndex, prompt: row.prompt, id: idFields ? rowId(row.json, idFields) : null });
      break;
    }
  }
  await rows.return?.();
  return out;
}

/** The dataset field ingest matched ids on (its note says `dataset field "F"`), else ingest's defaults. */
function datasetIdFields(run: RunRecord): string[] {
  for (const note of run.notes) {
    const m = /dataset field "([^"]+)"/.exec(note);
    if (m) return [m[1]];
  }
  return [...new Set([run.idField, "extra_info.index"].filter((f): f is string => !!f))];
}

function rowId(json: string, fields: readonly string[]): string | null {
  const value: unknown = JSON.parse(json);
  for (const f of fields) {
    const v = valueAt(value, f);
    if (v !== undefined) return idText(v);
  }
  return null;
}
