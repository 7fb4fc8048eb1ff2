/**
 * Per-epoch accuracies for every prompt travel to the browser as little-endian uint16
 * (accuracy x 10,000; 65,535 = no rollout that epoch), one column of the run view body
 * (run-view-bytes.ts): a million prompts x 21 epochs is 42 MB this way against ~170 MB as
 * float64, and the browser reads it in place. Charts and sparklines need no more than 0.01%
 * precision; scores and selection use the exact numbers, which travel separately.
 */
export const NO_VALUE = 0xffff;
export const ACCURACY_SCALE = 10000;

/** `accuracy` as a LimResult holds it (prompt-major, NaN for an epoch without rollouts), quantised. */
export function quantizeAccuracies(accuracy: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(accuracy.length);
  for (let i = 0; i < accuracy.length; i++) {
    const v = accuracy[i];
    out[i] = v !== v ? NO_VALUE : Math.min(ACCURACY_SCALE, Math.max(0, Math.round(v * ACCURACY_SCALE)));
  }
  return out;
}

/** The accuracy stored at `packed[i]`, or null for an epoch without rollouts. */
export function accuracyAt(packed: Uint16Array, i: number): number | null {
  const q = packed[i];
  return q === NO_VALUE ? null : q / ACCURACY_SCALE;
}
