/**
 * One prompt's curve against the model average. A missing epoch is a gap (null), never a
 * zero; an epoch the score filled from the next one is drawn as its own marked point.
 */
export interface PromptCurveRow {
  epoch: number;
  average: number | null;
  /** Accuracy as logged; null where the prompt had no rollout that epoch. */
  prompt: number | null;
  /** The value the score used where it was back-filled from the next epoch; null elsewhere. */
  backfilled: number | null;
}

export function promptCurveRows(
  average: readonly number[],
  logged: readonly (number | null)[],
  filled: readonly (number | null)[],
  backfilled: readonly boolean[],
): PromptCurveRow[] {
  const K = Math.max(average.length, logged.length);
  const rows: PromptCurveRow[] = [];
  for (let k = 0; k < K; k++) {
    rows.push({
      epoch: k + 1,
      average: average[k] ?? null,
      prompt: logged[k] ?? null,
      backfilled: backfilled[k] ? (filled[k] ?? null) : null,
    });
  }
  return rows;
}

/** Sparkline geometry: one SVG path per run of defined epochs, so a gap stays a gap. */
export function sparklinePaths(values: readonly (number | null)[], width: number, height: number, pad = 1.5): string[] {
  const n = values.length;
  if (n === 0) return [];
  const dx = n > 1 ? (width - 2 * pad) / (n - 1) : 0;
  const y = (v: number) => pad + (1 - v) * (height - 2 * pad);
  const paths: string[] = [];
  let current = "";
  for (let k = 0; k < n; k++) {
    const v = values[k];
    if (v === null) {
      if (current) paths.push(current);
      current = "";
      continue;
    }
    const x = n > 1 ? pad + k * dx : width / 2;
    current += `${current ? "L" : "M"}${x.toFixed(1)} ${y(v).toFixed(1)}`;
  }
  if (current) paths.push(current);
  // A lone point would draw nothing: give it a tiny horizontal stroke.
  return paths.map((p) => (p.includes("L") ? p : `${p}h0.01`));
}
