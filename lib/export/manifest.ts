import type { SuccessRule } from "../db/types";
import { describeSuccessRule, loggedSuccessField } from "../lim/success-rule";
import { writeFile, rename } from "node:fs/promises";
import path from "node:path";
import type { MethodName } from "../methods/methods";
import type { Rule } from "../methods/select";
import type { MethodRun } from "../runs/run-methods";
import type { ScoredRun } from "../runs/score-run";
import { summarize } from "../runs/summarize";
import { methodCounts, methodManifest, ruleFlags, type ManifestCounts, type ManifestMethod } from "./manifest-method";
import type { ExportFormat, ExportResult } from "./export-file";
import { TOOL } from "./tool-version";

/** What a curated set needs to be traced and reproduced. Field names are a stable contract. */
export interface ExportManifest {
  tool: { name: string; version: string };
  createdAt: string;
  run: { name: string; source: string; format: string; kind: "rollouts" | "scores"; dataset: string | null; ingestedAt: string };
  method: ManifestMethod;
  parameters: { stepsPerEpoch: number; maxEpochs: number; successReward: number; epochMode: "steps" | "visits" };
  /** How a rollout's success was decided (null for imported scores). */
  successRule: { rule: SuccessRule; text: string } | null;
  /** The threshold of a threshold rule (LIM's by default), else null. */
  threshold: number | null;
  /** The selection rule in force (lib/methods' Rule), and RAND's seed. */
  rule: Rule;
  seed?: number;
  /** A curriculum's order (`--order-by`); absent: dataset order. */
  order?: ExportOrder & { text: string };
  counts: ManifestCounts & { rowsWritten: number };
  export: { file: string; format: ExportFormat; withScores: boolean; bytes: number; sha256: string };
  /** How to write the same file again. */
  reproduce: string;
}

/** How a curriculum orders its rows: by a method's score, ascending unless descending. */
export interface ExportOrder {
  by: MethodName;
  descending: boolean;
}

export interface ManifestInput {
  format: ExportFormat;
  threshold: number;
  withScores: boolean;
  /** The exported file's path or download name (only its base name is recorded). */
  file: string;
  result: ExportResult;
  now?: Date;
  /** The method's selection; default LIM at `threshold`. */
  method?: MethodRun;
  /** A curriculum's order; default dataset order. */
  order?: ExportOrder;
}

/** The manifest of one export (the web route can serve it as is, the CLI writes it). */
export function buildManifest(scored: ScoredRun, m: ManifestInput): ExportManifest {
  const run = scored.run;
  const p = scored.params;
  const imported = run.kind === "scores";
  const rule: Rule = m.method?.rule ?? { kind: "threshold", threshold: m.threshold };
  const method = m.method && m.method.method !== "lim" ? [`--method ${m.method.method}`] : [];
  const flags = [
    ...(m.method ? [...method, ...ruleFlags(m.method)] : [`--threshold ${m.threshold}`]),
    ...(imported ? [] : [`--steps-per-epoch ${p.stepsPerEpoch}`, `--epochs ${p.epochMode}`, `--max-epochs ${p.maxEpochs}`, `--success-reward ${p.successReward}`]),
    ...(m.order ? [`--order-by ${m.order.by}`, ...(m.order.descending ? ["--descending"] : [])] : []),
    `--format ${m.format}`,
    ...(m.withScores ? ["--with-scores"] : []),
  ];
  const counts = m.method && m.method.method !== "lim" ? methodCounts(scored, m.method) : limCounts(scored, m);
  return {
    tool: { name: TOOL.name, version: TOOL.version },
    createdAt: (m.now ?? new Date()).toISOString(),
    run: { name: run.name, source: run.source, format: run.format, kind: run.kind, dataset: run.datasetFile, ingestedAt: run.createdAt.toISOString() },
    method: m.method && m.method.method !== "lim" ? methodManifest(m.method) : {
      name: "LIM",
      id: "lim",
      semantics:
        "Learning Impact Measurement as in LIMR (arXiv 2502.11886) and its authors' selection script: accuracy = successful rollouts / rollouts per epoch (see successRule); one left-to-right back-fill of missing epochs; prompts with an epoch still missing excluded; s = 1 - sum_k (r_k - avg_k)^2 / sum_k (1 - avg_k)^2",
      scores: imported ? "imported precomputed scores (the parameters below were not applied)" : "computed from the run's logged rewards",
      selection: `${rule.kind === "top" ? "the N highest scores, ties to the prompt seen first in the log" : "score >= threshold (inclusive)"}; every dataset row whose trimmed prompt is selected, in dataset order`,
    },
    parameters: { stepsPerEpoch: p.stepsPerEpoch, maxEpochs: p.maxEpochs, successReward: p.successReward, epochMode: p.epochMode },
    successRule: imported ? null : { rule: run.successRule, text: describeSuccessRule(run.successRule, p.successReward, loggedSuccessField(run)) },
    threshold: rule.kind === "threshold" ? rule.threshold : null,
    rule,
    ...(m.method?.scores.seed !== undefined ? { seed: m.method.scores.seed } : {}),
    ...(m.order ? { order: { ...m.order, text: orderText(m.order) } } : {}),
    counts: { ...counts, rowsWritten: m.result.rows },
    export: { file: path.basename(m.file), format: m.format, withScores: m.withScores, bytes: m.result.bytes, sha256: m.result.sha256 },
    reproduce: `lim export ${run.name} ${flags.join(" ")} --out ${path.basename(m.file)}`,
  };
}

/** LIM's counts, as they always were (at the method's selection when one is given: top N). */
function limCounts(scored: ScoredRun, m: ManifestInput): Omit<ExportManifest["counts"], "rowsWritten"> {
  const s = summarize(scored, m.threshold);
  return {
    prompts: s.prompts,
    scored: s.scored,
    excluded: s.excluded.total,
    excludedMissingEpochs: s.excluded.missingEpochs,
    excludedUndefinedScore: s.excluded.undefinedScore,
    selected: m.method ? m.method.selection.count : s.selected,
  };
}

/** A curriculum's order in words. */
export function orderText(o: ExportOrder): string {
  return `rows by the ${o.by} score of their prompt, ${o.descending ? "highest" : "lowest"} first; ties in dataset order; rows of a prompt without a ${o.by} score last`;
}

export function manifestPath(out: string): string {
  return `${out}.manifest.json`;
}

/** Writes `<out>.manifest.json` beside the export (atomically) and returns its path. */
export async function writeManifest(out: string, manifest: ExportManifest): Promise<string> {
  const file = manifestPath(out);
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, JSON.stringify(manifest, null, 2) + "\n");
  await rename(partial, file);
  return file;
}
