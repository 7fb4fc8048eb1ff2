/**
 * What a shared link reproduces on the run page: threshold, sort, filter, search, the open
 * prompt, the scoring parameters (`epochs=steps|visits` for the epoch rule), and the method, its
 * rule and the table's focus (method-state.ts). Parsed leniently (a bad value falls back to its default,
 * a link should still open); written with defaults left out so links stay short.
 */
import { isEpochMode } from "../lim/epochs";
import { DEFAULT_THRESHOLD } from "../lim/select";
import type { EpochMode } from "../lim/types";
import type { ScoreOverrides } from "../runs/score-run";
import { DEFAULT_METHOD_VIEW, parseMethodState, writeMethodState, type MethodViewState } from "./method-state";
import { FILTERS, SORT_KEYS, type Filter, type SortKey } from "./table-order";

export interface ViewState extends MethodViewState {
  threshold: number;
  sort: SortKey;
  desc: boolean;
  filter: Filter;
  q: string;
  /** Ordinal of the prompt open in the side panel. */
  prompt: number | null;
  stepsPerEpoch: number | null;
  maxEpochs: number | null;
  successReward: number | null;
  /** Epoch rule; null: the run's own. */
  epochMode: EpochMode | null;
}

export const DEFAULT_VIEW: ViewState = {
  threshold: DEFAULT_THRESHOLD,
  sort: "score",
  desc: true,
  filter: "all",
  q: "",
  prompt: null,
  stepsPerEpoch: null,
  maxEpochs: null,
  successReward: null,
  epochMode: null,
  ...DEFAULT_METHOD_VIEW,
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function get(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

function num(s: string | undefined, ok: (n: number) => boolean): number | null {
  if (s === undefined || s.trim() === "") return null;
  const n = Number(s);
  return Number.isFinite(n) && ok(n) ? n : null;
}

export function parseViewState(params: Params): ViewState {
  const [sortKey, dir] = (get(params, "sort") ?? "").split(".");
  const sort = (SORT_KEYS as readonly string[]).includes(sortKey) ? (sortKey as SortKey) : DEFAULT_VIEW.sort;
  const filter = get(params, "filter");
  return {
    threshold: num(get(params, "threshold"), () => true) ?? DEFAULT_VIEW.threshold,
    sort,
    desc: sortKey === sort ? dir !== "asc" : DEFAULT_VIEW.desc,
    filter: (FILTERS as readonly string[]).includes(filter ?? "") ? (filter as Filter) : "all",
    q: get(params, "q") ?? "",
    prompt: num(get(params, "prompt"), (n) => Number.isInteger(n) && n >= 0),
    stepsPerEpoch: num(get(params, "stepsPerEpoch"), (n) => Number.isInteger(n) && n >= 1),
    maxEpochs: num(get(params, "maxEpochs"), (n) => Number.isInteger(n) && n >= 1),
    successReward: num(get(params, "successReward"), () => true),
    epochMode: isEpochMode(get(params, "epochs")) ? (get(params, "epochs") as EpochMode) : null,
    ...parseMethodState((key) => get(params, key)),
  };
}

export function viewStateQuery(state: ViewState): string {
  const p = new URLSearchParams();
  if (state.threshold !== DEFAULT_VIEW.threshold) p.set("threshold", String(state.threshold));
  if (state.sort !== DEFAULT_VIEW.sort || state.desc !== DEFAULT_VIEW.desc) p.set("sort", `${state.sort}.${state.desc ? "desc" : "asc"}`);
  if (state.filter !== "all") p.set("filter", state.filter);
  if (state.q) p.set("q", state.q);
  if (state.prompt !== null) p.set("prompt", String(state.prompt));
  if (state.stepsPerEpoch !== null) p.set("stepsPerEpoch", String(state.stepsPerEpoch));
  if (state.maxEpochs !== null) p.set("maxEpochs", String(state.maxEpochs));
  if (state.successReward !== null) p.set("successReward", String(state.successReward));
  if (state.epochMode !== null) p.set("epochs", state.epochMode);
  writeMethodState(state, p);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The scoring parameters of a view as query fields for the data and export routes. */
export function paramsQuery(state: ScoringView): URLSearchParams {
  const p = new URLSearchParams();
  if (state.stepsPerEpoch !== null) p.set("stepsPerEpoch", String(state.stepsPerEpoch));
  if (state.maxEpochs !== null) p.set("maxEpochs", String(state.maxEpochs));
  if (state.successReward !== null) p.set("successReward", String(state.successReward));
  if (state.epochMode !== null) p.set("epochs", state.epochMode);
  return p;
}

type ScoringView = Pick<ViewState, "stepsPerEpoch" | "maxEpochs" | "successReward" | "epochMode">;

/** The scoring parameters a view sets, as scoreRun overrides (the rest are the run's own). */
export function viewOverrides(state: ScoringView): ScoreOverrides {
  const o: ScoreOverrides = {};
  if (state.stepsPerEpoch !== null) o.stepsPerEpoch = state.stepsPerEpoch;
  if (state.maxEpochs !== null) o.maxEpochs = state.maxEpochs;
  if (state.successReward !== null) o.successReward = state.successReward;
  if (state.epochMode !== null) o.epochMode = state.epochMode;
  return o;
}
