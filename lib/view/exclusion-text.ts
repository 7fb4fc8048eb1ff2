/** Why a prompt has no score, in words a researcher can act on. */
import type { Exclusion } from "../lim/types";

export function exclusionText(exclusion: Exclusion | null, epochs: number): string | null {
  if (!exclusion) return null;
  if (exclusion.kind === "undefined-score") {
    return "Excluded: the model average is 100% in every epoch, so the score's denominator is zero and the score is undefined.";
  }
  if (epochs === 0) return "Excluded: the log holds no complete epoch for these parameters (check steps per epoch).";
  const list = exclusion.epochs;
  const shown = list.length > 8 ? `${list.slice(0, 8).join(", ")} … (${list.length} epochs)` : list.join(", ");
  return `Excluded: no rollout in epoch${list.length === 1 ? "" : "s"} ${shown}, even after filling gaps from the next epoch.`;
}

/** Missing epochs (1-based) of a prompt from its back-filled accuracy, for the browser's panel. */
export function missingEpochs(filled: readonly (number | null)[]): number[] {
  const out: number[] = [];
  filled.forEach((v, k) => v === null && out.push(k + 1));
  return out;
}

/** Exclusion from the compact code the run page receives (see EXCLUSION_CODES). */
export function exclusionFromCode(code: number, filled: readonly (number | null)[]): Exclusion | null {
  if (code === 1) return { kind: "missing-epochs", epochs: missingEpochs(filled) };
  if (code === 2) return { kind: "undefined-score" };
  return null;
}
