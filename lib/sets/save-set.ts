import { deflateSync } from "node:zlib";
import { getSavedSet, insertSavedSet, SetExistsError } from "../db";
import { EXPORT_FORMATS, type ExportFormat } from "../export/export-file";
import { buildManifest, type ExportManifest } from "../export/manifest";
import { methodExportSelection } from "../export/method-selection";
import { TOOL } from "../export/tool-version";
import { DEFAULT_THRESHOLD } from "../lim/select";
import { selectRun, type MethodChoice } from "../runs/run-methods";
import { scoreRun, type ScoreOverrides } from "../runs/score-run";
import { captureExport } from "./capture-export";
import { setNameProblem } from "./errors";
import { rowIdentities } from "./row-identities";
import { MANIFEST_FILE } from "./set-manifest";
import type { SavedSet } from "./types";

export interface SaveSetOptions {
  /** The set's name (unique). */
  name: string;
  /** The run to select from. */
  run: string;
  /** The method and its rule, as `lim export` takes them (default: LIM at threshold 0.6). */
  choice?: MethodChoice;
  /** Scoring parameters (default: the run's own). */
  overrides?: ScoreOverrides;
  /** The format `sets export` writes by default (every format is stored). Default jsonl. */
  format?: ExportFormat;
  withScores?: boolean;
  note?: string | null;
  /** Overwrite a set of the same name (in the same transaction). */
  replace?: boolean;
  now?: Date;
}

/**
 * Saves a selection as a set: scores the run, selects once, and stores for every format the
 * bytes `lim export` writes for these parameters (exportFile itself, deflated), each with its
 * manifest, plus the run's provenance and the rows' identities for diff. One transaction.
 */
export async function saveSet(o: SaveSetOptions): Promise<SavedSet> {
  const problem = setNameProblem(o.name);
  if (problem) throw new Error(problem);
  if (!o.replace && (await getSavedSet(o.name))) throw new SetExistsError(o.name); // before the work; checked again when written
  const choice: MethodChoice = o.choice ?? { method: "lim" };
  const threshold = choice.limThreshold ?? DEFAULT_THRESHOLD;
  const withScores = o.withScores === true;
  const format = o.format ?? "jsonl";
  const now = o.now ?? new Date();

  const scored = await scoreRun(o.run, o.overrides ?? {});
  const method = selectRun(scored, choice);
  const selection = methodExportSelection(method);
  const files = [];
  const manifests = new Map<ExportFormat, ExportManifest>();
  for (const f of EXPORT_FORMATS) {
    const { result, chunks } = await captureExport(scored, { format: f, threshold, withScores, selection });
    const manifest = buildManifest(scored, { format: f, threshold, withScores, file: MANIFEST_FILE, result, method, now });
    manifests.set(f, manifest);
    files.push({ format: f, bytes: result.bytes, sha256: result.sha256, manifest: JSON.stringify(manifest), chunks });
  }
  const identities = await rowIdentities(scored, { threshold, selection });
  const m = manifests.get(format)!;
  const run = scored.run;
  const saved = await insertSavedSet(
    {
      name: o.name,
      note: o.note ?? null,
      run: { id: run.id, name: run.name, source: run.source, createdAt: run.createdAt, updatedAt: run.updatedAt },
      format,
      withScores,
      method: method.method,
      rule: method.rule,
      seed: method.scores.seed ?? null,
      parameters: m.parameters,
      counts: { prompts: m.counts.prompts, scored: m.counts.scored, excluded: m.counts.excluded, selected: m.counts.selected, rows: m.counts.rowsWritten },
      tool: { name: TOOL.name, version: TOOL.version },
      identities: deflateSync(JSON.stringify(identities.map((r) => [r.row, r.prompt, r.id]))),
      files,
    },
    { replace: o.replace, now },
  );
  return saved as SavedSet;
}
