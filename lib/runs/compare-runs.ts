import { joinCounts, joinRuns, type JoinedRuns } from "../compare/join-runs";
import { DEFAULT_THRESHOLD } from "../lim/select";
import { keyKindOf, promptKeys, type KeyKind } from "./prompt-keys";
import { selectRun, type MethodRun } from "./run-methods";
import type { ScoredRun } from "./score-run";

/** Two scored runs joined for the Compare page and `lim compare-runs`. */
export interface ScoredRunsJoin {
  key: KeyKind;
  /** Each run's LIM selection at its default rule (score >= the threshold, 0.6 unless given). */
  a: MethodRun;
  b: MethodRun;
  /** Per joined prompt: both LIM scores, the ordinals in each run, which run selects it (lib/compare/join-runs.ts). */
  joined: JoinedRuns;
}

/**
 * Joins two runs (scored with their prompts) by key among the prompts scored in both: LIM's
 * scores, and each run's selection by the one selection function (selectRun). The page sends
 * `joined` to the browser as it is (typed arrays); `flips(joined)` lists the prompts selected in
 * one run and not the other.
 */
export async function joinScoredRuns(a: ScoredRun, b: ScoredRun, limThreshold = DEFAULT_THRESHOLD): Promise<ScoredRunsJoin> {
  const key = keyKindOf(a.run, b.run);
  const ma = selectRun(a, { method: "lim", limThreshold });
  const mb = selectRun(b, { method: "lim", limThreshold });
  const joined = joinRuns(
    { keys: await promptKeys(a, key), scores: ma.scores.score, selected: ma.selection.mask },
    { keys: await promptKeys(b, key), scores: mb.scores.score, selected: mb.selection.mask },
  );
  return { key, a: ma, b: mb, joined };
}

/** What `lim compare-runs --json` prints. Field names are a contract. */
export interface CompareRunsSummary {
  a: string;
  b: string;
  joined: number;
  /** Spearman's rho over the joined prompts with average ranks for ties; null when undefined (a constant side, or fewer than 2 joined). */
  spearman: number | null;
  /** Among the joined prompts. */
  both_selected: number;
  only_a_selected: number;
  only_b_selected: number;
  /** Each run's whole selection, joined or not. */
  a_selected: number;
  b_selected: number;
  /** Prompts scored in one run with no scored counterpart in the other (distinct keys). */
  unjoined_a: number;
  unjoined_b: number;
}

export function summarizeJoin(a: ScoredRun, b: ScoredRun, j: ScoredRunsJoin): CompareRunsSummary {
  const c = joinCounts(j.joined);
  return {
    a: a.run.name,
    b: b.run.name,
    joined: c.joined,
    spearman: c.spearman,
    both_selected: c.bothSelected,
    only_a_selected: c.onlyASelected,
    only_b_selected: c.onlyBSelected,
    a_selected: j.a.selection.count,
    b_selected: j.b.selection.count,
    unjoined_a: j.joined.unjoinedA,
    unjoined_b: j.joined.unjoinedB,
  };
}
