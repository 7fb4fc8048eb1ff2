import type { Selection } from "./select";

export interface Overlap {
  a: number;
  b: number;
  /** |A ∩ B| */
  both: number;
  /** |A ∩ B| / |A ∪ B|; 0 when both are empty. */
  jaccard: number;
}

/** How far two selections of the same run agree. */
export function overlap(a: Selection, b: Selection): Overlap {
  if (a.mask.length !== b.mask.length) throw new Error(`overlap: selections of ${a.mask.length} and ${b.mask.length} prompts`);
  let both = 0;
  for (let p = 0; p < a.mask.length; p++) if (a.mask[p] && b.mask[p]) both++;
  const union = a.count + b.count - both;
  return { a: a.count, b: b.count, both, jaccard: union === 0 ? 0 : both / union };
}
