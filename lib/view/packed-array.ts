/**
 * Per-epoch accuracies for every prompt travel to the browser as one base64 string of
 * little-endian uint16 (accuracy x 10,000; 65,535 = no rollout that epoch): 100k prompts x 21
 * epochs is 5.6 MB this way against ~20 MB as JSON numbers, and decodes in milliseconds.
 * Charts and sparklines need no more than 0.01% precision; scores and selection use the exact
 * numbers, which travel separately.
 */
export const NO_VALUE = 0xffff;
export const ACCURACY_SCALE = 10000;

/** `accuracy` as a LimResult holds it: prompt-major, NaN for an epoch without rollouts. */
export function packAccuracies(accuracy: Float64Array): string {
  const bytes = new Uint8Array(accuracy.length * 2);
  let at = 0;
  for (const v of accuracy) {
    const q = Number.isNaN(v) ? NO_VALUE : Math.round(v * ACCURACY_SCALE);
    bytes[at++] = q & 0xff;
    bytes[at++] = q >> 8;
  }
  return bytesToBase64(bytes);
}

export function unpackAccuracies(base64: string): Uint16Array {
  const bytes = base64ToBytes(base64);
  const out = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return out;
}

/** The accuracy stored at `packed[i]`, or null for an epoch without rollouts. */
export function accuracyAt(packed: Uint16Array, i: number): number | null {
  const q = packed[i];
  return q === NO_VALUE ? null : q / ACCURACY_SCALE;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CHUNK)));
  }
  return btoa(bin);
}

function base64ToBytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
