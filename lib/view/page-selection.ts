/**
 * What the chosen method selects on the run page, and the table's groups and focus, from the
 * method columns (method-columns.ts) and the view: the one selection function
 * (lib/methods' selectPrompts) for the count, the histogram, the table and the export, so the
 * page selects what `lim score --method M` and `lim export --method M` do for the same rule.
 */
import { REGION_CODES, type Region } from "../methods/cartography";
import { CATEGORY_CODES } from "../methods/categories";
import type { MethodScores } from "../methods/method-scores";
import type { MethodName } from "../methods/methods";
import { selectPrompts, type Rule, type Selection } from "../methods/select";
import type { MethodColumns } from "./method-columns";
import { resolveRule, type MethodViewState } from "./method-state";

/** Per prompt, its group under the chosen method: the table's filters and check column. */
export const GROUPS = { notSelected: 0, selected: 1, excluded: 2 } as const;

export interface PageSelection {
  method: MethodName;
  rule: Rule;
  scores: MethodScores;
  selection: Selection;
  /** Prompts the method places (a score, or a place on the map). */
  scored: number;
  /** Per prompt: GROUPS. */
  groups: Uint8Array;
}

/** The chosen method's selection; LIM when the run cannot give the method (published scores). */
export function pageSelection(mc: MethodColumns, view: MethodViewState, threshold: number): PageSelection {
  const usable = mc.scores[view.method] ? view : { ...view, method: "lim" as const };
  const scores = mc.scores[usable.method]!;
  const rule = resolveRule(usable, threshold, mc.lim);
  const selection = selectPrompts(scores, rule);
  const groups = new Uint8Array(selection.mask.length);
  let scored = 0;
  const s = scores.score;
  for (let p = 0; p < groups.length; p++) {
    if (s[p] !== s[p]) groups[p] = GROUPS.excluded;
    else {
      scored++;
      groups[p] = selection.mask[p] ? GROUPS.selected : GROUPS.notSelected;
    }
  }
  return { method: usable.method, rule, scores, selection, scored, groups };
}

/** Selections at top N for the methods compared at equal budget: every ranked method. */
export const RANKED_METHODS: readonly MethodName[] = ["lim", "variance", "learnability", "linear", "pass-rate", "rand"];

export function equalBudgetSelections(mc: MethodColumns, n: number): Map<MethodName, Selection> {
  const out = new Map<MethodName, Selection>();
  for (const m of RANKED_METHODS) {
    const s = mc.scores[m];
    if (s) out.set(m, selectPrompts(s, { kind: "top", n }));
  }
  return out;
}

/**
 * The table's focus as a mask (1 = shown), null when none: one trajectory category, one
 * cartography region, or the prompts method A keeps and B does not at equal budget.
 */
export function focusMask(mc: MethodColumns, view: MethodViewState, budget: Map<MethodName, Selection> | null): Uint8Array | null {
  if (view.category !== null && mc.category) {
    const code = CATEGORY_CODES[view.category];
    return Uint8Array.from(mc.category, (c) => (c === code ? 1 : 0));
  }
  if (view.inRegion !== null && mc.scores.cartography?.map) return regionMask(mc, view.inRegion);
  if (view.kept !== null && budget) {
    const a = budget.get(view.kept[0]);
    const b = budget.get(view.kept[1]);
    if (a && b) return a.mask.map((x, p) => (x && !b.mask[p] ? 1 : 0));
  }
  return null;
}

function regionMask(mc: MethodColumns, region: Region): Uint8Array {
  const code = REGION_CODES[region];
  return mc.scores.cartography!.map!.region.map((r) => (r === code ? 1 : 0));
}

/** "selected" as a sort key when the method's selection is not LIM's threshold: 1, 0, NaN for excluded. */
export function selectedKey(sel: PageSelection): Float64Array | undefined {
  if (sel.method === "lim" && sel.rule.kind === "threshold") return undefined;
  return Float64Array.from(sel.groups, (g) => (g === GROUPS.excluded ? NaN : g));
}
