import type { EpochRow } from "../../lib/view/epoch-table";
import { formatInt, formatPercent } from "../../lib/view/format";

/** Rollouts, successes, accuracy, mean reward and mean response length per epoch. */
export function EpochTable({ rows, average }: { rows: EpochRow[]; average: number[] }) {
  return (
    <table className="plain epoch-table" data-testid="epoch-table">
      <thead>
        <tr>
          <th className="num">Epoch</th>
          <th>Steps</th>
          <th className="num">Rollouts</th>
          <th className="num">Successes</th>
          <th className="num">Accuracy</th>
          <th className="num">Model average</th>
          <th className="num">Mean reward</th>
          <th className="num">Mean response length</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.epoch} className={r.outsideWindow ? "outside-window" : undefined} title={r.outsideWindow ? "Outside the epoch window: not scored" : undefined}>
            <td className="num">{r.epoch}</td>
            <td className="muted">{r.steps.length ? stepRange(r.steps) : "—"}</td>
            <td className="num">{formatInt(r.rollouts)}</td>
            <td className="num">{formatInt(r.successes)}</td>
            <td className="num">
              {formatPercent(r.accuracy, 1)}
              {r.backfilled && <span className="muted" title="The score used the next epoch's accuracy here"> (filled)</span>}
            </td>
            <td className="num muted">{average[r.epoch - 1] === undefined ? "—" : formatPercent(average[r.epoch - 1], 1)}</td>
            <td className="num">{r.meanReward === null ? "—" : r.meanReward.toFixed(3)}</td>
            <td className="num">{r.meanResponseLength === null ? "—" : formatInt(Math.round(r.meanResponseLength))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function stepRange(steps: number[]): string {
  const sorted = [...steps].sort((a, b) => a - b);
  return sorted.length === 1 ? String(sorted[0]) : `${sorted[0]}–${sorted[sorted.length - 1]} (${sorted.length})`;
}
