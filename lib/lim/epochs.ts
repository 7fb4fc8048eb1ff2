/** Step N (1-based) belongs to epoch floor((N - 1) / stepsPerEpoch) + 1, as in the reference. */
export function epochOfStep(step: number, stepsPerEpoch: number): number {
  return Math.floor((step - 1) / stepsPerEpoch) + 1;
}

/** Complete epochs in a log whose last step is `lastStep`: a trailing partial epoch does not count. */
export function completeEpochs(lastStep: number, stepsPerEpoch: number): number {
  return Math.max(0, Math.floor(lastStep / stepsPerEpoch));
}
