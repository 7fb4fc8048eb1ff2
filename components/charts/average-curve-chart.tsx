"use client";
import { memo } from "react";
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { AverageCurveRow } from "../../lib/view/prepare-average-curve";
import { formatPercent } from "../../lib/view/format";
import { ACCURACY_AXIS, EPOCH_AXIS, epochLabel, TOOLTIP_STYLE } from "./accuracy-axes";

/** The model's average accuracy per epoch (always the neutral colour) with its 25-75% band. */
export const AverageCurveChart = memo(function AverageCurveChart({ rows, height = 170 }: { rows: AverageCurveRow[]; height?: number }) {
  return (
    <div data-testid="average-curve" role="img" aria-label={`Model average accuracy over ${rows.length} epochs, from ${formatPercent(rows[0]?.average)} to ${formatPercent(rows[rows.length - 1]?.average)}`}>
      <ComposedChart responsive data={rows} style={{ width: "100%", height }} margin={{ top: 6, right: 8, bottom: 0, left: -18 }}>
        <CartesianGrid stroke="var(--border)" vertical={false} />
        <XAxis {...EPOCH_AXIS} />
        <YAxis {...ACCURACY_AXIS} />
        <Tooltip
          isAnimationActive={false}
          contentStyle={TOOLTIP_STYLE}
          labelFormatter={epochLabel}
          formatter={(value, name) => (Array.isArray(value) ? [`${formatPercent(Number(value[0]), 1)} – ${formatPercent(Number(value[1]), 1)}`, "25–75% of prompts"] : [formatPercent(Number(value), 1), String(name)])}
        />
        <Area dataKey="band" stroke="none" fill="var(--band)" fillOpacity={0.25} isAnimationActive={false} name="25–75% of prompts" />
        <Line dataKey="average" stroke="var(--avg)" strokeWidth={2} dot={false} isAnimationActive={false} name="Model average" />
      </ComposedChart>
    </div>
  );
});
