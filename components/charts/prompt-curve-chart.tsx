"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { PromptCurveRow } from "../../lib/view/prepare-prompt-curve";
import { formatPercent } from "../../lib/view/format";
import { ACCURACY_AXIS, EPOCH_AXIS, epochLabel, TOOLTIP_STYLE } from "./accuracy-axes";

/**
 * A prompt's accuracy per epoch (accent) against the model average (neutral). A missing
 * epoch is a gap; an epoch the score filled from the next one is a hollow point.
 */
export const PromptCurveChart = memo(function PromptCurveChart({ rows, height = 190, width }: { rows: PromptCurveRow[]; height?: number; width?: number }) {
  const hasBackfill = rows.some((r) => r.backfilled !== null);
  return (
    <div data-testid="prompt-curve">
      {/* A known width (the side panel) skips a measuring render: the curve appears a frame sooner. */}
      <LineChart responsive={width === undefined} width={width} height={width === undefined ? undefined : height} data={rows} style={width === undefined ? { width: "100%", height } : undefined} margin={{ top: 6, right: 10, bottom: 0, left: -18 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis {...EPOCH_AXIS} />
        <YAxis {...ACCURACY_AXIS} />
        <Tooltip
          isAnimationActive={false}
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={epochLabel}
          formatter={(value, name) => [formatPercent(value === null || value === undefined ? null : Number(value), 1), String(name)]}
        />
        <Line dataKey="prompt" name="This prompt" stroke="var(--accent)" strokeWidth={2.2} dot={{ r: 2.5, fill: "var(--accent)" }} connectNulls={false} isAnimationActive={false} className="curve-prompt" />
        <Line dataKey="average" name="Model average" stroke="var(--avg)" strokeWidth={2} strokeDasharray="5 3" dot={false} isAnimationActive={false} className="curve-average" />
        {hasBackfill && (
          <Line dataKey="backfilled" name="Filled from next epoch" stroke="none" legendType="circle" dot={{ r: 3.5, fill: "var(--bg)", stroke: "var(--accent)", strokeWidth: 1.5 }} activeDot={false} isAnimationActive={false} />
        )}
      </LineChart>
      {/* A plain legend: Recharts' own measures itself and costs a second render pass. */}
      <p className="curve-legend" aria-hidden="true">
        <span className="lg-prompt">This prompt</span>
        <span className="lg-average">Model average</span>
        {hasBackfill && <span className="lg-filled">Filled from next epoch</span>}
      </p>
    </div>
  );
});
