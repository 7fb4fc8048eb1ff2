import { scoreColumns } from "../methods/method-scores";
import type { MethodRun } from "../runs/run-methods";
import type { PromptSelection } from "./export-lines";

/** A method's selection as an export writes it: its mask, and its score columns for --with-scores (`<method>_score`). */
export function methodExportSelection(m: MethodRun): PromptSelection {
  return { mask: m.selection.mask, columns: scoreColumns(m.scores), rank: m.scores.score };
}
