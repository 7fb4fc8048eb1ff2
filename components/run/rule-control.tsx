"use client";
import { REGIONS, type Region } from "../../lib/methods/cartography";
import { isSeed } from "../../lib/methods/rand";
import { LINEAR_THRESHOLD, type Rule } from "../../lib/methods/select";
import type { MethodName } from "../../lib/methods/methods";
import { REGION_LABELS } from "../../lib/view/method-labels";
import type { MethodViewState } from "../../lib/view/method-state";
import type { ViewState } from "../../lib/view/view-state";
import { ThresholdControl } from "./threshold-control";
import { TopNControl } from "./top-n-control";

type Kind = "threshold" | "top" | "between";
const KIND_LABELS: Record<Kind, string> = { threshold: "Threshold", top: "Top N", between: "0 < score < 1" };

/** The rule kinds a method offers, its default first. */
function kindsOf(method: MethodName): Kind[] {
  if (method === "lim" || method === "linear") return ["threshold", "top"];
  if (method === "pass-rate") return ["between", "threshold", "top"];
  return ["top", "threshold"];
}

/**
 * The chosen method's rule: LIM's threshold (the page's `threshold`, which also sets the
 * equal-size budget), a method's own threshold, top N, pass-rate's "0 < score < 1", or
 * cartography's region. Switching kind keeps the selection's size or edge where it can.
 */
export function RuleControl({
  view,
  rule,
  count,
  scored,
  marker,
  range,
  onChange,
}: {
  view: MethodViewState & Pick<ViewState, "threshold">;
  rule: Rule;
  /** Prompts selected now, and scored by the method (top N's range). */
  count: number;
  scored: number;
  /** The rule's edge on the histogram (a kind switch to a threshold starts there). */
  marker: number | null;
  /** The histogram's range, for a threshold slider. */
  range: { lo: number; hi: number };
  onChange: (patch: Partial<ViewState>) => void;
}) {
  const m = view.method;
  if (m === "cartography") {
    return (
      <label className="rule-region">
        <span className="threshold-label">Region</span>{" "}
        <select className="input" aria-label="Region" value={rule.kind === "region" ? rule.region : "ambiguous"} onChange={(e) => onChange({ region: e.target.value as Region })}>
          {REGIONS.map((r) => (
            <option key={r} value={r}>
              {REGION_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const kind = rule.kind as Kind;
  const setKind = (k: Kind) => {
    if (k === kind) return;
    if (k === "top") onChange({ top: count, min: null });
    else if (k === "between") onChange({ top: null, min: null });
    else if (m === "lim") onChange({ top: null });
    else onChange({ top: null, min: Number((marker ?? (m === "linear" ? LINEAR_THRESHOLD : 0)).toFixed(4)) });
  };
  return (
    <>
      <div className="segmented rule-kinds" role="group" aria-label="Rule">
        {kindsOf(m).map((k) => (
          <button key={k} type="button" className="seg" aria-pressed={kind === k} onClick={() => setKind(k)}>
            {KIND_LABELS[k]}
          </button>
        ))}
      </div>
      {rule.kind === "threshold" && (
        <ThresholdControl
          value={rule.threshold}
          min={Math.max(-1, Number(range.lo.toFixed(2)))}
          max={range.hi}
          onChange={(t) => onChange(m === "lim" ? { threshold: t } : { min: t })}
        />
      )}
      {rule.kind === "top" && <TopNControl value={rule.n} max={scored} onChange={(n) => onChange({ top: n })} />}
      {m === "rand" && (
        <label className="rule-seed">
          <span className="threshold-label">Seed</span>{" "}
          <input
            className="input threshold-number"
            type="number"
            min={0}
            step={1}
            aria-label="Seed"
            defaultValue={view.seed}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (e.target.value.trim() !== "" && isSeed(n)) onChange({ seed: n });
            }}
          />
        </label>
      )}
      {m !== "lim" && view.top === null && view.min === null && rule.kind === "top" && (
        <p className="sub">
          N = LIM&apos;s count at its threshold {view.threshold}, so methods compare at equal size.
        </p>
      )}
    </>
  );
}
