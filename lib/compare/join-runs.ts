/**
 * Two runs of one dataset joined prompt by prompt, pure (typed arrays and strings in, typed arrays
 * out, no I/O), so the Compare page joins in the browser exactly as `lim compare-runs` does.
 *
 * A prompt's key is its dataset id when both runs are identified by id, else its stored text (a
 * prompt matched to the dataset is stored as the dataset's question): lib/runs/prompt-keys.ts.
 */

import { spearman } from "./spearman";

/** One run as the join needs it, per prompt ordinal. */
export interface JoinSide {
  /** The prompt's key; null: it has none (identity by id, and no dataset row). */
  keys: readonly (string | null)[];
  /** The score compared (LIM's), NaN where the prompt is not scored. */
  scores: ArrayLike<number>;
  /** 1 where the run's selection keeps the prompt. */
  selected: ArrayLike<number>;
}

/** Bits of `JoinedRuns.selected`. */
export const SELECTED_A = 1;
export const SELECTED_B = 2;

/**
 * Every prompt scored in both runs, in A's ordinal order: joined prompt j is prompt
 * `ordinalsA[j]` of A and `ordinalsB[j]` of B.
 */
export interface JoinedRuns {
  count: number;
  ordinalsA: Uint32Array;
  ordinalsB: Uint32Array;
  scoresA: Float64Array;
  scoresB: Float64Array;
  /** Per joined prompt: SELECTED_A | SELECTED_B bits. A flip is 1 (A only) or 2 (B only). */
  selected: Uint8Array;
  /** Keys scored in one run and not scored (or absent) in the other. */
  unjoinedA: number;
  unjoinedB: number;
}

/**
 * Per key, the prompt that stands for it: the scored one with the highest score (first on
 * ties), as an export gives a text its best score; the key is selected when any of its
 * prompts is. Unscored prompts never stand for a key.
 */
function representatives(side: JoinSide): Map<string, { ordinal: number; selected: boolean }> {
  const out = new Map<string, { ordinal: number; selected: boolean }>();
  for (let i = 0; i < side.keys.length; i++) {
    const key = side.keys[i];
    if (key === null) continue;
    const s = side.scores[i];
    const had = out.get(key);
    const selected = side.selected[i] === 1 || (had?.selected ?? false);
    if (s !== s) {
      if (had) had.selected = selected;
      continue;
    }
    if (!had || s > side.scores[had.ordinal]) out.set(key, { ordinal: i, selected });
    else had.selected = selected;
  }
  return out;
}

/** Joins A and B by key among the prompts scored in both. */
export function joinRuns(a: JoinSide, b: JoinSide): JoinedRuns {
  const ra = representatives(a);
  const rb = representatives(b);
  const ordA: number[] = [];
  const ordB: number[] = [];
  const sel: number[] = [];
  for (const [key, pa] of ra) {
    const pb = rb.get(key);
    if (!pb) continue;
    ordA.push(pa.ordinal);
    ordB.push(pb.ordinal);
    sel.push((pa.selected ? SELECTED_A : 0) | (pb.selected ? SELECTED_B : 0));
  }
  // Map order is first appearance of the key, not the representative's ordinal: sort by A's ordinal.
  const order = ordA.map((_, j) => j).sort((i, j) => ordA[i] - ordA[j]);
  const count = order.length;
  const joined: JoinedRuns = {
    count,
    ordinalsA: Uint32Array.from(order, (j) => ordA[j]),
    ordinalsB: Uint32Array.from(order, (j) => ordB[j]),
    scoresA: new Float64Array(count),
    scoresB: new Float64Array(count),
    selected: Uint8Array.from(order, (j) => sel[j]),
    unjoinedA: ra.size - count,
    unjoinedB: rb.size - count,
  };
  for (let j = 0; j < count; j++) {
    joined.scoresA[j] = a.scores[joined.ordinalsA[j]];
    joined.scoresB[j] = b.scores[joined.ordinalsB[j]];
  }
  return joined;
}

export interface JoinCounts {
  joined: number;
  /** Spearman's rho of the two scores over the joined prompts (ties averaged); null when undefined (a constant side, or fewer than 2). */
  spearman: number | null;
  bothSelected: number;
  onlyASelected: number;
  onlyBSelected: number;
}

/** The counts `lim compare-runs` prints, from a join. */
export function joinCounts(j: JoinedRuns): JoinCounts {
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < j.count; i++) {
    const s = j.selected[i];
    if (s === (SELECTED_A | SELECTED_B)) both++;
    else if (s === SELECTED_A) onlyA++;
    else if (s === SELECTED_B) onlyB++;
  }
  return { joined: j.count, spearman: spearman(j.scoresA, j.scoresB) ?? null, bothSelected: both, onlyASelected: onlyA, onlyBSelected: onlyB };
}

/** Indexes (into the join) of the prompts selected in one run and not the other: the Compare page's table. */
export function flips(j: JoinedRuns): Uint32Array {
  let n = 0;
  for (let i = 0; i < j.count; i++) if (j.selected[i] === SELECTED_A || j.selected[i] === SELECTED_B) n++;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < j.count; i++) if (j.selected[i] === SELECTED_A || j.selected[i] === SELECTED_B) out[k++] = i;
  return out;
}
