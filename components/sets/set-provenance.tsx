import { describeRule } from "../../lib/methods/select";
import type { SavedSet } from "../../lib/sets";
import { formatBytes, formatInt } from "../../lib/view/format";

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** What made a set: run, method, rule, parameters, counts, tool, time and each format's SHA-256 (as `lim sets show`). */
export function SetProvenance({ set }: { set: SavedSet }) {
  const p = set.parameters;
  const c = set.counts;
  return (
    <dl className="set-provenance" data-testid="set-provenance">
      <dt>Run</dt>
      <dd>
        {set.run.name} <span className="muted">from {set.run.source}, created {when(set.run.createdAt)}, updated {when(set.run.updatedAt)}</span>
      </dd>
      <dt>Method</dt>
      <dd data-testid="set-method">
        {set.method}, {describeRule(set.rule)}
        {set.seed !== null ? `, seed ${set.seed}` : ""}
        {set.withScores ? ", with scores" : ""}
      </dd>
      <dt>Parameters</dt>
      <dd>
        {p.stepsPerEpoch} steps per epoch, epochs by {p.epochMode}, max epochs {p.maxEpochs}, success reward {p.successReward}
      </dd>
      <dt>Counts</dt>
      <dd data-testid="set-counts">
        {formatInt(c.rows)} rows · {formatInt(c.selected)} selected of {formatInt(c.scored)} scored ({formatInt(c.prompts)} prompts, {formatInt(c.excluded)} excluded)
      </dd>
      {set.note && (
        <>
          <dt>Note</dt>
          <dd>{set.note}</dd>
        </>
      )}
      <dt>Saved</dt>
      <dd>
        {when(set.createdAt)} by {set.tool.name} {set.tool.version}
      </dd>
      <dt>SHA-256</dt>
      <dd>
        <ul className="set-files">
          {set.files.map((f) => (
            <li key={f.format}>
              {f.format}
              {f.format === set.format ? " (default)" : ""}: {formatBytes(f.bytes)}, <code className="sha">{f.sha256}</code>
            </li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}
