/**
 * The `lim` command that computes what the run page shows: its scoring parameters and the
 * method's rule as flags, so a selection seen in the browser is one paste away in a terminal.
 */
import type { Rule } from "../methods/select";
import { selectionFlags, type MethodViewState } from "./method-state";
import type { ViewState } from "./view-state";

/** The scoring flags of a view as `lim score` and `lim export` spell them. */
export function paramsFlags(view: Pick<ViewState, "stepsPerEpoch" | "epochMode" | "maxEpochs" | "successReward">): string[] {
  const out: string[] = [];
  if (view.stepsPerEpoch !== null) out.push("--steps-per-epoch", String(view.stepsPerEpoch));
  if (view.epochMode !== null) out.push("--epochs", view.epochMode);
  if (view.maxEpochs !== null) out.push("--max-epochs", String(view.maxEpochs));
  if (view.successReward !== null) out.push("--success-reward", String(view.successReward));
  return out;
}

/** A word as the shell reads it back unchanged: bare when safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9._/:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function cliCommand(command: "score" | "export", run: string, view: ViewState & MethodViewState, rule: Rule): string {
  return ["npx lim", command, shellWord(run), ...paramsFlags(view), ...selectionFlags(view, rule)].join(" ");
}
