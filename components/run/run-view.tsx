"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { checkParams, LimParamError, resolveParams } from "../../lib/lim/lim-score";
import { countSelectedSorted } from "../../lib/lim/select";
import { selectedCountText } from "../../lib/view/format";
import { paramsSummary } from "../../lib/view/epoch-rule";
import { averageCurveRows } from "../../lib/view/prepare-average-curve";
import { histogramBars, histogramBins } from "../../lib/view/prepare-histogram";
import type { RunInfo } from "../../lib/view/run-info";
import { filterRows, scoresInOrder, sortRows, type Filter, type SortKey } from "../../lib/view/table-order";
import { paramsQuery, viewStateQuery, type ViewState } from "../../lib/view/view-state";
import { AverageCurveChart } from "../charts/average-curve-chart";
import { ScoreHistogram } from "../charts/score-histogram";
import { ParamsForm, type ScoringParams } from "./params-form";
import { PromptPanel } from "./prompt-panel";
import { PromptTable } from "./prompt-table";
import { LiveRefresh } from "./live-refresh";
import { RunHeader } from "./run-header";
import { ThresholdControl } from "./threshold-control";
import { usePromptSearch, useTextOrder } from "./use-prompt-search";
import { usePromptTextStore } from "./use-prompt-texts";
import { useRunData } from "./use-run-data";
import { useUrlState } from "./use-url-state";

const FILTER_LABELS: { id: Filter; label: string }[] = [
  { id: "all", label: "All" },
  { id: "selected", label: "Selected" },
  { id: "not-selected", label: "Not selected" },
  { id: "excluded", label: "Excluded" },
];

/** The run page: curves, histogram, live threshold, prompt table and the selected prompt. */
export function RunView({ run, initial }: { run: RunInfo; initial: ViewState }) {
  const router = useRouter();
  const [view, setView] = useState<ViewState>(initial);
  const [attempt, setAttempt] = useState(0);
  const [paramsProblem, setParamsProblem] = useState<string | null>(null);
  const pq = paramsQuery(view).toString();
  const state = useRunData(run.name, pq, attempt);
  const model = state.model;
  useUrlState(view);

  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);
  const texts = usePromptTextStore(run.name, pq);
  // Search and text order come from the server: the page holds no texts but the rows shown.
  const search = usePromptSearch(run.name, pq, view.q, model ? model.n : null);
  const rank = useTextOrder(run.name, pq, view.sort === "prompt", model ? model.n : null);

  // Sorted once per model (sortedScores): a threshold's count and bars are binary searches.
  const bins = useMemo(() => (model ? histogramBins(model.sorted) : null), [model]);
  const bars = useMemo(() => (model && bins ? histogramBars(bins, model.sorted, view.threshold) : []), [model, bins, view.threshold]);
  const selected = useMemo(() => (model ? countSelectedSorted(model.sorted, view.threshold) : 0), [model, view.threshold]);
  // Sorting by prompt waits for the text order; the rows keep their order until it is in.
  const lastSorted = useRef<Int32Array | null>(null);
  const sorted = useMemo(() => {
    if (!model) return null;
    if (view.sort === "prompt" && !rank) return lastSorted.current?.length === model.n ? lastSorted.current : sortRows(model, "ordinal", false);
    return sortRows({ ...model, textRank: rank }, view.sort, view.desc);
  }, [model, rank, view.sort, view.desc]);
  lastSorted.current = sorted;
  // Filtering by selection reads the scores in row order (one sequential pass per threshold).
  const filtering = view.filter !== "all";
  const inOrder = useMemo(() => (model && sorted && filtering ? scoresInOrder(sorted, model.scores) : null), [model, sorted, filtering]);
  const order = useMemo(
    () => (model && sorted ? filterRows(sorted, model.scores, view.filter, view.threshold, search.match, inOrder) : new Int32Array(0)),
    [model, sorted, view.filter, view.threshold, search.match, inOrder],
  );
  const curve = useMemo(() => (model ? averageCurveRows(model.header.average, model.header.q25, model.header.q75) : []), [model]);

  const active = model && view.prompt !== null && view.prompt < model.n ? view.prompt : null;
  const promptHref = useCallback(
    (ordinal: number) => `/runs/${encodeURIComponent(run.name)}/prompts/${ordinal}${viewStateQuery({ ...view, prompt: null })}`,
    [run.name, view],
  );

  // j/k anywhere (outside text fields), arrows when the table has focus; Enter opens the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      if (e.metaKey || e.ctrlKey || e.altKey || order.length === 0) return;
      const inTable = !!t?.closest?.(".prompt-table");
      const down = e.key === "j" || (inTable && e.key === "ArrowDown");
      const up = e.key === "k" || (inTable && e.key === "ArrowUp");
      if (e.key === "Enter" && inTable && active !== null) {
        e.preventDefault();
        router.push(promptHref(active));
        return;
      }
      if (e.key === "Escape" && active !== null) {
        update({ prompt: null });
        return;
      }
      if (!down && !up) return;
      e.preventDefault();
      const pos = active === null ? -1 : order.indexOf(active);
      const next = pos < 0 ? 0 : Math.min(order.length - 1, Math.max(0, pos + (down ? 1 : -1)));
      update({ prompt: order[next] });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [order, active, update, router, promptHref]);

  const exportHref = useMemo(() => {
    const p = paramsQuery(view);
    p.set("threshold", String(view.threshold));
    return `/api/runs/${encodeURIComponent(run.name)}/export?${p.toString()}`;
  }, [run.name, view]);

  const data = model?.header;
  const scoringParams: ScoringParams = { stepsPerEpoch: view.stepsPerEpoch, maxEpochs: view.maxEpochs, successReward: view.successReward, epochMode: view.epochMode };
  const paramsError = paramsProblem ?? (state.status === "error" && state.code === 400 ? state.message : null);
  // lib/lim's own parameter check, before asking the server: instant, and in the same words.
  const applyParams = (p: ScoringParams) => {
    try {
      const lp = { stepsPerEpoch: p.stepsPerEpoch ?? run.stepsPerEpoch, maxEpochs: p.maxEpochs, successReward: p.successReward ?? run.successReward, epochMode: p.epochMode ?? run.epochMode, successRule: run.successRule, ingestSuccessReward: run.successReward };
      // By visits the window's bound needs every prompt's visits: the server checks it.
      if (lp.epochMode === "visits") checkParams(lp);
      else resolveParams(lp, run.lastStep);
    } catch (error) {
      if (!(error instanceof LimParamError)) throw error;
      setParamsProblem(error.message);
      return;
    }
    setParamsProblem(null);
    update({ ...p });
  };

  return (
    <main className="run-page">
      <RunHeader run={run} data={data ?? null} exportHref={exportHref} selected={selected} ready={!!model} />
      {/* A watched run: refetch the scored data (attempt) whenever it grows. */}
      <LiveRefresh name={run.name} live={run.live} updatedAt={new Date(run.updatedAt).toISOString()} onChange={() => setAttempt((a) => a + 1)} />

      {state.status === "error" && state.code !== 400 && (
        <div className="notice error" role="alert">
          <h2>Could not load this run</h2>
          <p>{state.message}</p>
          <p>
            <button className="btn" onClick={() => setAttempt((a) => a + 1)}>
              Try again
            </button>
          </p>
        </div>
      )}

      <section className="run-overview">
        <div className="card">
          <h2>Model learning curve</h2>
          <p className="sub">average accuracy per epoch, band: 25–75% of prompts</p>
          {!model ? (
            <div className="skeleton" style={{ height: 170 }} />
          ) : model.epochs === 0 ? (
            <p className="muted chart-empty">Made from published scores: no reward log, so no curve.</p>
          ) : curve.length === 0 ? (
            <p className="muted chart-empty">No prompt has every epoch, so there is no average to draw.</p>
          ) : (
            <AverageCurveChart rows={curve} />
          )}
        </div>
        <div className="card">
          <h2>LIM score distribution</h2>
          <p className="sub">
            <span className="legend-swatch selected" /> selected <span className="legend-swatch muted" /> not selected
          </p>
          {model && bins ? <ScoreHistogram bins={bins} bars={bars} threshold={view.threshold} onPick={(t) => update({ threshold: t })} /> : <div className="skeleton" style={{ height: 148 }} />}
        </div>
        <div className="card threshold-card">
          <ThresholdControl value={view.threshold} min={bins ? Math.max(-1, Number(bins.lo.toFixed(2))) : -1} max={1} onChange={(t) => update({ threshold: t })} />
          <p className="selected-count" data-testid="selected-count" aria-live="polite">
            {model ? selectedCountText(selected, model.scored, model.n) : "Loading…"}
          </p>
          <p className="sub">Selected: LIM score ≥ threshold. Excluded prompts miss an epoch or have an undefined score.</p>
          {data && run.kind !== "scores" && (
            <details className="params" open={view.stepsPerEpoch !== null || view.maxEpochs !== null || view.successReward !== null || view.epochMode !== null || !!paramsError}>
              <summary>Parameters: {paramsSummary(data.params)}</summary>
              <ParamsForm
                value={scoringParams}
                defaults={{ stepsPerEpoch: run.stepsPerEpoch, maxEpochs: data.params.epochsInLog, successReward: run.successReward, epochMode: run.epochMode, successRule: run.successRule }}
                busy={state.status === "loading"}
                error={paramsError}
                onApply={applyParams}
              />
            </details>
          )}
        </div>
      </section>

      {model && model.scored === 0 && (
        <div className="notice" role="status">
          <h2>No prompt of this run has a score with these parameters</h2>
          <p>
            Every prompt misses at least one epoch (or the average is 100% everywhere). Check the steps per epoch, or narrow the epoch window under
            Parameters; the Excluded filter lists each prompt with its reason.
          </p>
        </div>
      )}

      <section className="table-toolbar" aria-label="Table controls">
        <input
          className="input search"
          type="search"
          aria-label="Search prompts"
          placeholder="Search prompts…"
          value={view.q}
          onChange={(e) => update({ q: e.target.value })}
          aria-busy={search.pending}
        />
        <div className="segmented" role="group" aria-label="Filter prompts">
          {FILTER_LABELS.map((f) => (
            <button key={f.id} type="button" className="seg" aria-pressed={view.filter === f.id} onClick={() => update({ filter: f.id })}>
              {f.label}
            </button>
          ))}
        </div>
        <span className="muted rows-count" data-testid="rows-count" aria-busy={search.pending}>
          {model ? `${order.length.toLocaleString("en-US")} rows${search.pending ? " (searching…)" : ""}` : ""}
        </span>
        {search.error && (
          <span className="search-error" role="alert">
            {search.error}
          </span>
        )}
        <span className="muted keys-hint">j/k to move · Enter opens · Esc closes</span>
      </section>

      <section className={`table-area${active !== null ? " with-panel" : ""}`}>
        {model ? (
          <PromptTable
            model={model}
            texts={texts}
            order={order}
            threshold={view.threshold}
            sort={view.sort}
            desc={view.desc}
            active={active}
            onSort={(sort: SortKey, desc: boolean) => update({ sort, desc })}
            onActivate={(o) => update({ prompt: o })}
            onOpen={(o) => router.push(promptHref(o))}
          />
        ) : (
          <div className="skeleton table-skeleton" aria-busy="true" aria-label="Loading prompts" />
        )}
        {model && active !== null && <PromptPanel model={model} texts={texts} ordinal={active} threshold={view.threshold} href={promptHref(active)} onClose={() => update({ prompt: null })} />}
      </section>
    </main>
  );
}
