/**
 * The table's rows: the sorted index array filtered by the chosen method's groups
 * (page-selection.ts), the search's matches and the focus (a category, a region, kept by A
 * not by B). One pass, no allocation but the result, so a rule change stays live at a million
 * prompts. The prompt page's previous / next walk the same rows (prompt-neighbours.ts).
 */
import { GROUPS } from "./page-selection";
import type { Filter } from "./table-order";

const WANTED: Record<Exclude<Filter, "all">, number> = { selected: GROUPS.selected, "not-selected": GROUPS.notSelected, excluded: GROUPS.excluded };

export function tableRows(sorted: Int32Array, groups: Uint8Array, filter: Filter, match: Uint8Array | null, focus: Uint8Array | null): Int32Array {
  if (filter === "all" && !match && !focus) return sorted;
  const want = filter === "all" ? -1 : WANTED[filter];
  const out = new Int32Array(sorted.length);
  let m = 0;
  for (let j = 0; j < sorted.length; j++) {
    const i = sorted[j];
    if ((want < 0 || groups[i] === want) && (!match || match[i]) && (!focus || focus[i])) out[m++] = i;
  }
  return out.subarray(0, m);
}

/**
 * Whether row i is in the table: tableRows' test for one row, for code that scans rows instead
 * of walking the sorted order (prompt-neighbours.ts; its tests hold the two to the same rows).
 */
export function rowInTable(groups: Uint8Array, filter: Filter, match: Uint8Array | null, focus: Uint8Array | null): (i: number) => boolean {
  const want = filter === "all" ? -1 : WANTED[filter];
  return (i) => (want < 0 || groups[i] === want) && (!match || match[i] !== 0) && (!focus || focus[i] !== 0);
}
