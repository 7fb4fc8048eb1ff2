/** Axis and tooltip settings every accuracy-per-epoch chart shares, so the curves read alike. */
export const pct = (v: number) => `${Math.round(v * 100)}%`;

export const EPOCH_AXIS = { dataKey: "epoch", tick: { fontSize: 11, fill: "var(--fg-faint)" }, stroke: "var(--border-strong)" } as const;

export const ACCURACY_AXIS = {
  domain: [0, 1] as [number, number],
  ticks: [0, 0.25, 0.5, 0.75, 1],
  tickFormatter: pct,
  tick: { fontSize: 11, fill: "var(--fg-faint)" },
  stroke: "var(--border-strong)",
};

export const TOOLTIP_STYLE = { background: "var(--bg)", border: "1px solid var(--border)", fontSize: 12 } as const;

export const epochLabel = (e: unknown) => `Epoch ${e}`;
