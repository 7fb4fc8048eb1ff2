/**
 * Per-epoch accuracies for every prompt travel to the browser losslessly, as a dictionary:
 * `values` holds each distinct accuracy once (values[0] is NaN, an epoch without rollouts) and
 * `index` one small integer per (prompt, epoch), prompt-major. An accuracy is successes /
 * rollouts, so a run holds a few hundred distinct values: the index is uint16 (uint32 past
 * 65,536 values), as small as the old x10,000 quantisation, yet the browser gets the very
 * doubles lib/lim computed. That matters: the run page scores every method in the browser
 * from them (lib/methods), and a rounded accuracy can move a top-N boundary or split a tie the
 * CLI breaks by log order, so the page's selection would differ from `lim score --method`.
 */
export interface PackedAccuracies {
  values: Float64Array;
  index: Uint16Array | Uint32Array;
}

/** The index of an epoch without rollouts. */
export const NO_VALUE = 0;

/** `accuracy` as a LimResult holds it (prompt-major, NaN for an epoch without rollouts), dictionary-encoded. */
export function packAccuracies(accuracy: ArrayLike<number>): PackedAccuracies {
  const seen = new Map<number, number>();
  const values: number[] = [NaN];
  const index = new Uint32Array(accuracy.length);
  // Runs of equal values are common (0 and 1 above all): the last one skips the map. An
  // accuracy is successes / rollouts, never -0, so the map's -0 = 0 loses nothing.
  let last = NaN;
  let lastIndex = NO_VALUE;
  for (let i = 0; i < accuracy.length; i++) {
    const v = accuracy[i];
    if (v !== v) index[i] = NO_VALUE;
    else if (v === last) index[i] = lastIndex;
    else {
      let at = seen.get(v);
      if (at === undefined) {
        at = values.length;
        values.push(v);
        seen.set(v, at);
      }
      index[i] = lastIndex = at;
      last = v;
    }
  }
  return { values: Float64Array.from(values), index: values.length <= 0x10000 ? Uint16Array.from(index) : index };
}

/** The accuracy at `packed.index[i]`, or null for an epoch without rollouts. */
export function accuracyAt(packed: PackedAccuracies, i: number): number | null {
  const q = packed.index[i];
  return q === NO_VALUE ? null : packed.values[q];
}

/** Every accuracy as a LimResult holds it: NaN for an epoch without rollouts. */
export function unpackAccuracies(packed: PackedAccuracies): Float64Array {
  const { values, index } = packed;
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = values[index[i]];
  return out;
}
