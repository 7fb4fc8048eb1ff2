import { buildManifest, type ManifestInput } from "../export/manifest";
import { keyedById } from "../runs/prompt-keys";
import type { ScoredRun } from "../runs/score-run";
import type { Transfer, TransferSource } from "../runs/transfer";
import { setIdentities } from "./diff-sets";
import { setExport } from "./set-export";
import { shellWord } from "./set-manifest";
import { requireSet } from "./set-store";
import type { SavedSet } from "./types";

/**
 * A saved set as a transfer source for `target`: its rows' dataset ids when the target is
 * identified by id and every row of the set has one, else its rows' prompt texts. The set's
 * rows are what was saved, so this holds after its run was re-scored, replaced or deleted.
 */
export async function setTransferSource(name: string, target: ScoredRun): Promise<{ set: SavedSet; source: TransferSource }> {
  const set = await requireSet(name);
  const rows = await setIdentities(name);
  const byId = keyedById(target.run) && rows.length > 0 && rows.every((r) => r.id !== null);
  const keys = [...new Set(rows.map((r) => (byId ? r.id! : r.prompt)))];
  return { set, source: { kind: byId ? "id" : "text", keys } };
}

/**
 * A set's transfer manifest: the set's own manifest (its method, rule, parameters, counts and
 * `set` block, as saved), with `run` and `export` the run whose rows were written and the file,
 * `transfer` how many of the set's prompts that run has, and the command that writes it again.
 */
export async function setTransferManifest(set: SavedSet, target: ScoredRun, t: Transfer, input: Omit<ManifestInput, "method" | "order">) {
  const saved = (await setExport(set.name)).manifest(input.file);
  const written = buildManifest(target, input);
  const tail = written.reproduce.slice(written.reproduce.indexOf(" --format "));
  return {
    ...saved,
    run: written.run,
    counts: { ...saved.counts, rowsWritten: written.counts.rowsWritten },
    export: written.export,
    transfer: { set: set.name, from: saved.run, key: t.key, selected: t.wanted, found: t.found, missing: t.missing },
    reproduce: `lim transfer --set ${shellWord(set.name)} --to ${target.run.name}${tail}`,
  };
}
