import type { RunInfo, RunViewData } from "../../lib/view/run-view-data";
import { formatCompact, formatInt } from "../../lib/view/format";

/** Run name and facts, with the export button (which downloads exactly the selected set). */
export function RunHeader({ run, data, exportHref, selected, ready }: { run: RunInfo; data: RunViewData | null; exportHref: string; selected: number; ready: boolean }) {
  const epochs = data ? data.params.epochsInLog : null;
  return (
    <header className="run-header">
      <div>
        <h1>{run.name}</h1>
        <p className="run-facts">
          <span>{run.kind === "scores" ? "published scores" : run.format}</span>
          <span>{formatInt(run.sampleCount)} prompts</span>
          {run.kind !== "scores" && <span>{epochs === null ? "…" : formatInt(epochs)} epochs</span>}
          {run.kind !== "scores" && <span>{formatCompact(run.rolloutCount)} rollouts</span>}
          {run.datasetFile && <span title={run.datasetFile}>dataset: {formatInt(run.datasetRowCount)} rows</span>}
        </p>
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
      <a className={`btn btn-primary${ready ? "" : " disabled"}`} href={exportHref} download data-testid="export-link" aria-disabled={!ready}>
        Export {ready ? formatInt(selected) : ""} selected (JSONL)
      </a>
    </header>
  );
}
