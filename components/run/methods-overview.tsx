"use client";
import type { MethodName } from "../../lib/methods/methods";
import type { Selection } from "../../lib/methods/select";
import { formatInt } from "../../lib/view/format";
import type { MethodColumns } from "../../lib/view/method-columns";
import { METHOD_LABELS } from "../../lib/view/method-labels";
import type { PageSelection } from "../../lib/view/page-selection";
import type { ViewState } from "../../lib/view/view-state";
import { CartographyMap } from "../charts/cartography-map";
import { CategoryBar } from "./category-bar";
import { OverlapMatrix } from "./overlap-matrix";
import { useSettled } from "./use-settled";

/** The hard-to-learn prompts, never-solved first, with the dataset's answer beside each. */
const READ_ANSWERS: Partial<ViewState> = { inRegion: "hard-to-learn", category: null, kept: null, answers: true, filter: "all", sort: "pass-rate", desc: false };

/**
 * Beside the chosen method: the cartography map, the trajectory categories and the overlap
 * of every ranked method at equal budget. Each is also a way into the table (a region, a
 * category, "kept by A, not by B").
 */
export function MethodsOverview({
  methods,
  selection,
  equal,
  budget,
  view,
  active,
  onFocus,
  onPick,
}: {
  methods: MethodColumns;
  selection: PageSelection;
  equal: Map<MethodName, Selection> | null;
  budget: number;
  view: ViewState;
  active: number | null;
  onFocus: (patch: Partial<ViewState>) => void;
  onPick: (ordinal: number) => void;
}) {
  const map = methods.scores.cartography?.map;
  // The map redraws after the count and histogram are painted.
  const mask = useSettled(selection.selection.mask, 0);
  const reading = view.inRegion === "hard-to-learn" && view.answers;
  return (
    <section className="methods-overview" aria-label="Methods compared">
      <div className="card">
        <h2>Cartography map</h2>
        <p className="sub">
          confidence vs variability per prompt; <span className="legend-swatch selected" /> selected by {METHOD_LABELS[selection.method]}
        </p>
        {map && <CartographyMap map={map} selected={mask} active={active} onPick={onPick} />}
        <p className="map-actions">
          <button type="button" className="btn btn-small" aria-pressed={reading} onClick={() => onFocus(reading ? { inRegion: null, answers: false } : READ_ANSWERS)}>
            Hard-to-learn: read answers
          </button>
          <span className="sub">
            {formatInt(methods.categoryCounts?.["never-solved"] ?? 0)} never solved: where label errors hide
          </span>
        </p>
      </div>
      <div className="card">
        <h2>Trajectory categories</h2>
        <p className="sub">over the whole run; click one to list its prompts</p>
        {methods.categoryCounts && <CategoryBar counts={methods.categoryCounts} active={view.category} onPick={(category) => onFocus({ category, kept: null, inRegion: null })} />}
      </div>
      <div className="card">
        <h2>Overlap at equal budget</h2>
        <p className="sub">
          each method&apos;s top {formatInt(budget)} (LIM&apos;s count at {view.threshold}); shared prompts and Jaccard. A cell lists the row&apos;s prompts the
          column does not keep.
        </p>
        {equal ? <OverlapMatrix selections={equal} budget={budget} active={view.kept} onPick={(kept) => onFocus({ kept, category: null, inRegion: null })} /> : <div className="skeleton" style={{ height: 170 }} />}
      </div>
    </section>
  );
}
