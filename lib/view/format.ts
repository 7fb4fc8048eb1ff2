/** Number formatting shared by every view: thousands separators, fixed decimals, percentages. */

const intFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return intFormat.format(n);
}

/** A LIM score at the table's precision (2 decimals) or the tooltip's (4); "—" when excluded. */
export function formatScore(score: number | null | undefined, digits = 2): string {
  if (score === null || score === undefined || Number.isNaN(score)) return "—";
  return score.toFixed(digits);
}

/** Accuracy in [0, 1] as a percentage; "—" for an epoch the prompt did not appear in. */
export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${(value * 100).toFixed(digits)}%`;
}

/** Compact large counts for headers: 1.38 M, 8.5 k. */
export function formatCompact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return formatInt(n);
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} kB`;
  return `${n} B`;
}

/** Date as the runs list shows it: 2025-11-25 13:47 in the viewer's zone, stable across renders. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "1,389 of 7,935 scored (8,523 prompts, 588 excluded)": the selected-count line. */
export function selectedCountText(selected: number, scored: number, prompts: number): string {
  const excluded = prompts - scored;
  return `${formatInt(selected)} of ${formatInt(scored)} scored (${formatInt(prompts)} prompts, ${formatInt(excluded)} excluded)`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}
