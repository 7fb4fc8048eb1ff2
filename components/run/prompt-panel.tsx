"use client";
import Link from "next/link";
import { useMemo } from "react";
import { isSelected } from "../../lib/lim/select";
import { exclusionFromCode, exclusionText } from "../../lib/view/exclusion-text";
import { formatInt, formatPercent, formatScore } from "../../lib/view/format";
import { promptCurveRows } from "../../lib/view/prepare-prompt-curve";
import { promptSeries, type RunModel } from "../../lib/view/run-model";
import { PromptCurveChart } from "../charts/prompt-curve-chart";
import { MathText } from "../math-text";

/** The selected row's story: its curve against the average, its score, why it has none. */
export function PromptPanel({ model, ordinal, threshold, href, onClose }: { model: RunModel; ordinal: number; threshold: number; href: string; onClose: () => void }) {
  const series = useMemo(() => promptSeries(model, ordinal), [model, ordinal]);
  const rows = useMemo(() => promptCurveRows(model.data.average, series.logged, series.filled, series.backfilled), [model, series]);
  const score = model.scores[ordinal];
  const exclusion = exclusionFromCode(model.data.excl[ordinal], series.filled);
  const reason = exclusionText(exclusion, model.epochs);
  const selected = isSelected(score, threshold);
  return (
    <section className="card prompt-panel" aria-label="Selected prompt" data-testid="prompt-panel">
      <div className="panel-head">
        <h2>Prompt #{ordinal}</h2>
        <div className="panel-actions">
          <Link className="btn btn-small" href={href}>
            Open prompt page →
          </Link>
          <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close prompt panel">
            ✕
          </button>
        </div>
      </div>
      <p className="panel-text">
        <MathText text={model.texts[ordinal]} />
      </p>
      <dl className="panel-facts">
        <div>
          <dt>LIM score</dt>
          <dd data-testid="panel-score">{formatScore(score, 4)}</dd>
        </div>
        <div>
          <dt>At threshold {threshold}</dt>
          <dd className={selected ? "is-selected" : undefined}>{score === null ? "excluded" : selected ? "selected" : "not selected"}</dd>
        </div>
        <div>
          <dt>Rollouts</dt>
          <dd>{formatInt(model.rollouts[ordinal])}</dd>
        </div>
        <div>
          <dt>First → last epoch</dt>
          <dd>
            {formatPercent(series.logged[0])} → {formatPercent(series.logged[series.logged.length - 1])}
          </dd>
        </div>
      </dl>
      {reason && (
        <p className="exclusion-reason" data-testid="exclusion-reason">
          {reason}
        </p>
      )}
      {model.epochs > 0 ? <PromptCurveChart rows={rows} width={370} /> : <p className="muted">This run holds published scores only: there is no reward log to draw a curve from.</p>}
    </section>
  );
}
