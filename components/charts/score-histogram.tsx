"use client";
import { memo, useMemo } from "react";
import type { HistogramBar, HistogramBins } from "../../lib/view/prepare-histogram";
import { thresholdFraction } from "../../lib/view/prepare-histogram";
import { formatInt } from "../../lib/view/format";

const W = 400;
const H = 130;

/**
 * A method's score histogram (LIM's by default): selected prompts in the accent colour, the
 * others muted, the rule's edge (threshold, top N's lowest kept score, cartography's cut) as a line. Plain SVG rather than a chart library: it redraws on every slider move, and at
 * 40 bars that stays well under a millisecond. Clicking a bar moves the threshold to its edge.
 */
export const ScoreHistogram = memo(function ScoreHistogram({
  bins,
  bars,
  threshold,
  label = "Histogram of LIM scores with the threshold",
  onPick,
}: {
  bins: HistogramBins;
  bars: HistogramBar[];
  /** Where the line goes; null draws none (pass-rate's two open bounds). */
  threshold: number | null;
  label?: string;
  onPick?: (threshold: number) => void;
}) {
  const max = useMemo(() => Math.max(1, ...bars.map((b) => b.selected + b.notSelected)), [bars]);
  const bw = W / bars.length;
  const tx = threshold === null ? null : thresholdFraction(bins, threshold) * W;
  const ticks = useMemo(() => axisTicks(bins), [bins]);
  return (
    <div className="histogram" data-testid="score-histogram">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" width="100%" height={H} role="img" aria-label={label}>
        {bars.map((b, i) => {
          const total = b.selected + b.notSelected;
          const hTotal = (total / max) * (H - 4);
          const hSel = (b.selected / max) * (H - 4);
          return (
            <g key={i} onClick={onPick ? () => onPick(Number(b.x0.toFixed(6))) : undefined} style={onPick ? { cursor: "pointer" } : undefined}>
              <title>{`${b.x0.toFixed(2)} to ${b.x1.toFixed(2)}: ${formatInt(total)} prompts, ${formatInt(b.selected)} selected`}</title>
              <rect x={i * bw} y={0} width={bw} height={H} fill="transparent" />
              <rect x={i * bw + 0.5} y={H - hTotal} width={Math.max(0, bw - 1)} height={hTotal - hSel} fill="var(--muted)" />
              <rect x={i * bw + 0.5} y={H - hSel} width={Math.max(0, bw - 1)} height={hSel} fill="var(--accent)" data-selected-bar={b.selected > 0 ? "" : undefined} />
            </g>
          );
        })}
        {tx !== null && <line x1={tx} x2={tx} y1={0} y2={H} stroke="var(--fg)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" strokeDasharray="4 3" data-testid="threshold-line" />}
      </svg>
      <div className="histogram-axis" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t.value} style={{ left: `${t.at * 100}%`, transform: t.at === 0 ? "none" : t.at >= 0.999 ? "translateX(-100%)" : undefined }}>
            {t.label}
          </span>
        ))}
      </div>
    </div>
  );
});

function axisTicks(bins: HistogramBins): { value: number; at: number; label: string }[] {
  const span = bins.hi - bins.lo;
  const step = span > 6 ? 2 : span > 3 ? 1 : span > 1.2 ? 0.5 : 0.25;
  const out: { value: number; at: number; label: string }[] = [];
  for (let v = Math.ceil(bins.lo / step - 1e-9) * step; v <= bins.hi + 1e-9; v += step) {
    const value = Number(v.toFixed(4));
    const at = (value - bins.lo) / span;
    // Keep the left edge label readable: skip a tick crowding it.
    if (at > 0 && at < 0.06) continue;
    const label = at === 0 && bins.clippedLow ? `≤${value}` : String(value);
    out.push({ value, at, label });
  }
  if (!out.length || out[0].at > 0) {
    const lo = Number(bins.lo.toFixed(4));
    out.unshift({ value: lo, at: 0, label: bins.clippedLow ? `≤${lo}` : String(lo) });
  }
  return out;
}
