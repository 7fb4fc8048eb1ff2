/** How the run page names the epoch rule and parameters in force (header and Parameters line). */
import { successRuleText } from "../lim/success-rule";
import type { RunViewHeader } from "./run-view-bytes";

type Params = RunViewHeader["params"];

/** Short name of the rule, e.g. "epochs by steps (8 per epoch)" or "epochs by visits". */
export function epochRuleLabel(p: Pick<Params, "epochMode" | "stepsPerEpoch">): string {
  return p.epochMode === "visits" ? "epochs by visits" : `epochs by steps (${p.stepsPerEpoch} per epoch)`;
}

/** The Parameters summary: epoch rule, window and success rule. */
export function paramsSummary(p: Params): string {
  const window =
    p.epochMode === "visits" && p.visits
      ? `${p.maxEpochs} epochs (${p.visits.usual} visits reached by 95% of prompts; fewest ${p.visits.fewest}, most ${p.visits.most})`
      : `${p.maxEpochs} of ${p.epochsInLog} epochs`;
  const rule = p.epochMode === "visits" ? "by visits" : `${p.stepsPerEpoch} steps/epoch`;
  return `${rule} · ${window} · ${successRuleText(p.successRule, p.successReward, p.successField)}`;
}
