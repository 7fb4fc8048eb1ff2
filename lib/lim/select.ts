/**
 * The selection rule, in one place: the slider's count, the table's check column, the export
 * file and the CLI all call this. Inclusive, as the published script and set use (s >= theta).
 */
export function isSelected(score: number | null | undefined, threshold: number): boolean {
  return score !== null && score !== undefined && score >= threshold;
}

/** Indices (in input order) of the selected scores. */
export function selectIndices(scores: ArrayLike<number | null>, threshold: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (isSelected(scores[i], threshold)) out.push(i);
  return out;
}

export function countSelected(scores: ArrayLike<number | null>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (isSelected(scores[i], threshold)) n++;
  return n;
}

export const DEFAULT_THRESHOLD = 0.6;
