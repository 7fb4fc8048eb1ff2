import { describeEpochRule } from "../../lib/lim/epochs";
import { describeSuccessRule, loggedSuccessField, successRuleText } from "../../lib/lim/success-rule";
import { epochRuleLabel } from "../../lib/view/epoch-rule";
import type { RunViewHeader } from "../../lib/view/run-view-bytes";
import type { RunInfo } from "../../lib/view/run-info";
import { formatCompact, formatInt } from "../../lib/view/format";
import { ExportControl } from "./export-control";

/** Run name and facts (with the epoch rule in force), and the export (which downloads exactly the selected set). */
export function RunHeader({ run, data, exportHref, selected, ready }: { run: RunInfo; data: RunViewHeader | null; exportHref: string; selected: number; ready: boolean }) {
  const epochs = data ? data.params.epochsInLog : null;
  const rule = data && run.kind !== "scores" ? data.params : null;
  // The stored rule and field; the success reward in force once the data says it (an override may change it).
  const successField = loggedSuccessField(run);
  const successReward = data?.params.successReward ?? run.successReward;
  return (
    <header className="run-header">
      <div>
        <h1>{run.name}</h1>
        <p className="run-facts">
          {run.live && (
            <span className="reward-badge success" data-testid="live-badge" title="lim ingest --watch is adding this run's new steps as the trainer logs them; the page follows">
              Live
            </span>
          )}
          <span>{run.kind === "scores" ? "published scores" : run.format}</span>
          <span>{formatInt(run.sampleCount)} prompts</span>
          {run.kind !== "scores" && <span>{epochs === null ? "…" : formatInt(epochs)} epochs</span>}
          {run.kind !== "scores" && <span>{formatCompact(run.rolloutCount)} rollouts</span>}
          {run.datasetFile && <span title={run.datasetFile}>dataset: {formatInt(run.datasetRowCount)} rows</span>}
          {rule && (
            <span data-testid="epoch-rule" title={describeEpochRule(rule.epochMode, rule.stepsPerEpoch, rule.visits)}>
              {epochRuleLabel(rule)}
            </span>
          )}
          {run.kind !== "scores" && (
            <span data-testid="success-rule" title={describeSuccessRule(run.successRule, successReward, successField)}>
              {successRuleText(run.successRule, successReward, successField)}
            </span>
          )}
        </p>
        {rule && <p className="muted" style={{ margin: "2px 0 0", fontSize: 12.5 }} data-testid="epoch-rule-text">{describeEpochRule(rule.epochMode, rule.stepsPerEpoch, rule.visits)}</p>}
        {run.notes.length > 0 && (
          <details className="run-warnings" data-testid="run-notes">
            <summary>How this run was read ({run.notes.length} note{run.notes.length === 1 ? "" : "s"})</summary>
            <ul>
              {run.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </details>
        )}
        {run.warnings.length > 0 && (
          <details className="run-warnings">
            <summary>
              {run.warnings.length} ingest warning{run.warnings.length === 1 ? "" : "s"}
            </summary>
            <ul>
              {run.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <ExportControl href={exportHref} selected={selected} ready={ready} run={run.name} />
    </header>
  );
}
