"use client";
import Link from "next/link";
import { useEffect, useMemo } from "react";
import { exclusionFromCode, exclusionText } from "../../lib/view/exclusion-text";
import { formatInt, formatPercent, formatScore } from "../../lib/view/format";
import { GROUPS } from "../../lib/view/page-selection";
import { promptCurveRows } from "../../lib/view/prepare-prompt-curve";
import type { PromptTextStore } from "../../lib/view/prompt-text-store";
import { promptSeries, scoreOf, type RunModel } from "../../lib/view/run-model";
import { PromptCurveChart } from "../charts/prompt-curve-chart";
import { MathText } from "../math-text";
import { useTextsVersion } from "./use-prompt-texts";

/** The selected row's story: its curve against the average, its score, why it has none. */
export function PromptPanel({
  model,
  texts,
  ordinal,
  group,
  rule,
  href,
  onClose,
}: {
  model: RunModel;
  texts: PromptTextStore;
  ordinal: number;
  /** The prompt's group under the chosen method (GROUPS), and that method's rule in words. */
  group: number;
  rule: string;
  href: string;
  onClose: () => void;
}) {
  const series = useMemo(() => promptSeries(model, ordinal), [model, ordinal]);
  const rows = useMemo(() => promptCurveRows(model.header.average, series.logged, series.filled, series.backfilled), [model, series]);
  useTextsVersion(texts);
  useEffect(() => texts.want("panel", [ordinal]), [texts, ordinal]);
  const text = texts.get(ordinal);
  const score = scoreOf(model, ordinal);
  const exclusion = exclusionFromCode(model.exclusion[ordinal], series.filled);
  const reason = exclusionText(exclusion, model.epochs);
  const selected = group === GROUPS.selected;
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
      {text === undefined ? (
        <p className="panel-text text-pending" aria-busy="true">
          <span className="text-pending-bar" />
        </p>
      ) : (
        <p className="panel-text">
          <MathText text={text} />
        </p>
      )}
      <dl className="panel-facts">
        <div>
          <dt>LIM score</dt>
          <dd data-testid="panel-score">{formatScore(score, 4)}</dd>
        </div>
        <div>
          <dt title={rule}>By {rule}</dt>
          <dd className={selected ? "is-selected" : undefined} data-testid="panel-selected">
            {group === GROUPS.excluded ? "excluded" : selected ? "selected" : "not selected"}
          </dd>
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
