/**
 * Sampling weights from a method's scores, pure (no I/O): one weight per dataset row.
 *
 * A row's score is its prompt's (NaN: no score). Over the rows with a score, w = max(s, 0) /
 * mean(max(s, 0)): higher score, higher weight, never negative (LIM's score can be), and the
 * weights of the scored rows average 1, so a sampler draws a scored row as often as uniform
 * sampling would on average. When every clipped score is 0, each scored row weighs 1. Rows
 * without a score weigh `floor` (default 0: never drawn).
 */
export function rowWeights(rowScores: ArrayLike<number>, floor = 0): Float64Array {
  const n = rowScores.length;
  let sum = 0;
  let scored = 0;
  for (let r = 0; r < n; r++) {
    const s = rowScores[r];
    if (s !== s) continue;
    scored++;
    sum += Math.max(s, 0);
  }
  const mean = scored ? sum / scored : 0;
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const s = rowScores[r];
    w[r] = s !== s ? floor : mean > 0 ? Math.max(s, 0) / mean : 1;
  }
  return w;
}
