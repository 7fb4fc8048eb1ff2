/**
 * Steps per epoch when the user did not say: distinct prompts / median prompts per step,
 * rounded down, at least 1. A run that trains on most of its dataset each epoch (LIMR:
 * 8,523 prompts, 1,024 per step -> 8) comes out right; the message says it was a guess.
 */
export function inferStepsPerEpoch(distinctPrompts: number, promptsPerStep: readonly number[]): { stepsPerEpoch: number; median: number } {
  const sorted = [...promptsPerStep].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const stepsPerEpoch = median > 0 ? Math.max(1, Math.floor(distinctPrompts / median)) : 1;
  return { stepsPerEpoch, median };
}
