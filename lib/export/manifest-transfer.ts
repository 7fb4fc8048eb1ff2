import type { MethodRun } from "../runs/run-methods";
import type { ScoredRun } from "../runs/score-run";
import type { Transfer } from "../runs/transfer";
import { buildManifest, type ExportManifest, type ManifestInput } from "./manifest";

/**
 * A transfer's manifest: the manifest of the source run's selection (its method, rule,
 * parameters and counts), with `run` naming the run whose dataset rows were written, `transfer`
 * the source and how many of its prompts that run has, and the `lim transfer` command that
 * writes the same file again.
 */
export interface TransferManifest extends ExportManifest {
  transfer: { from: ExportManifest["run"]; key: "id" | "text"; selected: number; found: number; missing: number };
}

export function buildTransferManifest(from: ScoredRun, target: ScoredRun, m: MethodRun, t: Transfer, input: Omit<ManifestInput, "method" | "order">): TransferManifest {
  const source = buildManifest(from, { ...input, method: m });
  const written = buildManifest(target, input);
  const prefix = `lim export ${from.run.name} `;
  const flags = source.reproduce.startsWith(prefix) ? source.reproduce.slice(prefix.length) : source.reproduce;
  return {
    ...source,
    run: written.run,
    transfer: { from: source.run, key: t.key, selected: t.wanted, found: t.found, missing: t.missing },
    reproduce: `lim transfer ${from.run.name} --to ${target.run.name} ${flags}`,
  };
}
