import { memo } from "react";
import { sparklinePaths } from "../../lib/view/prepare-prompt-curve";

/** A prompt's trajectory in a table cell: accent line, gaps where an epoch is missing. */
export const Sparkline = memo(function Sparkline({ values, width = 84, height = 20 }: { values: (number | null)[]; width?: number; height?: number }) {
  const paths = sparklinePaths(values, width, height);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" className="sparkline">
      <line x1={0} x2={width} y1={height - 1} y2={height - 1} stroke="var(--border)" strokeWidth={1} />
      {paths.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinejoin="round" strokeLinecap="round" />
      ))}
    </svg>
  );
});
