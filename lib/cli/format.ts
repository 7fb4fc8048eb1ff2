/** Human-readable numbers for terminal output. */
export const int = (n: number) => n.toLocaleString("en-US");

export const score = (s: number | null) => (s === null ? "undefined" : s.toFixed(4));

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}
