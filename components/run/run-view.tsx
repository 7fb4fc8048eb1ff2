"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { checkParams, LimParamError, resolveParams } from "../../lib/lim/lim-score";
import { selectedCountText } from "../../lib/view/format";
import { METHOD_LABELS, ruleText } from "../../lib/view/method-labels";
import { cliCommand } from "../../lib/view/cli-command";
import { selectionFields } from "../../lib/view/method-state";
import { paramsSummary } from "../../lib/view/epoch-rule";
import { averageCurveRows } from "../../lib/view/prepare-average-curve";
import type { RunInfo } from "../../lib/view/run-info";
import { sortRows, type Filter, type SortKey } from "../../lib/view/table-order";
import { tableRows } from "../../lib/view/table-rows";
import { paramsQuery, viewStateQuery, type ViewState } from "../../lib/view/view-state";
import { AverageCurveChart } from "../charts/average-curve-chart";
import { ScoreHistogram } from "../charts/score-histogram";
import { CopyCommand } from "../copy-command";
import { MethodControl } from "./method-control";
import { MethodsOverview } from "./methods-overview";
import { MethodWarnings } from "./method-warnings";
import { RuleControl } from "./rule-control";
import { TableFocus } from "./table-focus";
import { usePageMethods } from "./use-page-methods";
import { ParamsForm, type ScoringParams } from "./params-form";
import { PromptPanel } from "./prompt-panel";
import { PromptTable } from "./prompt-table";
import { LiveRefresh } from "./live-refresh";
import { RunHeader } from "./run-header";
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
  const flushUrl = useUrlState(view);

  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);
  const texts = usePromptTextStore(run.name, pq);
  const answerStore = usePromptTextStore(run.name, pq, "answers");
  const answers = view.answers ? answerStore : null;
  // Search and text order come from the server: the page holds no texts but the rows shown.
  const search = usePromptSearch(run.name, pq, view.q, model ? model.n : null);
  const rank = useTextOrder(run.name, pq, view.sort === "prompt", model ? model.n : null);

  // The chosen method's selection, histogram and the table's groups (lib/methods' selectPrompts).
  const pm = usePageMethods(model, view);
  const sel = pm.sel;
  const bins = pm.bins?.bins ?? null;
  const selected = sel ? sel.selection.count : 0;
  // Sorting by prompt waits for the text order; the rows keep their order until it is in.
  const lastSorted = useRef<Int32Array | null>(null);
  const sorted = useMemo(() => {
    if (!model) return null;
    if (view.sort === "prompt" && !rank) return lastSorted.current?.length === model.n ? lastSorted.current : sortRows(model, "ordinal", false);
    return sortRows({ ...model, textRank: rank, methodKeys: pm.methodKeys }, view.sort, view.desc);
  }, [model, rank, view.sort, view.desc, pm.methodKeys]);
  lastSorted.current = sorted;
  const order = useMemo(
    () => (sel && sorted ? tableRows(sorted, sel.groups, view.filter, search.match, pm.focus) : new Int32Array(0)),
    [sel, sorted, view.filter, search.match, pm.focus],
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
        flushUrl();
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
  }, [order, active, update, router, promptHref, flushUrl]);

  // The export follows the chosen method and its rule, spelled as `lim export` spells them.
  const exportHref = useMemo(() => {
    const p = paramsQuery(view);
    if (sel) for (const [k, v] of selectionFields(view, sel.rule)) p.set(k, v);
    else p.set("threshold", String(view.threshold));
    return `/api/runs/${encodeURIComponent(run.name)}/export?${p.toString()}`;
  }, [run.name, view, sel]);

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
          <h2>{sel?.method === "cartography" ? "Cartography: variability distribution" : `${METHOD_LABELS[sel?.method ?? "lim"]} score distribution`}</h2>
          <p className="sub">
            <span className="legend-swatch selected" /> selected <span className="legend-swatch muted" /> not selected
          </p>
          {model && bins && sel ? (
            <ScoreHistogram
              bins={bins}
              bars={pm.bars}
              threshold={pm.marker}
              label={`Histogram of ${METHOD_LABELS[sel.method]} scores with the rule's edge`}
              onPick={sel.rule.kind === "threshold" ? (t) => update(sel.method === "lim" ? { threshold: t } : { min: t, top: null }) : undefined}
            />
          ) : (
            <div className="skeleton" style={{ height: 148 }} />
          )}
        </div>
        <div className="card threshold-card">
          <MethodControl value={sel?.method ?? view.method} available={pm.available} onChange={(method) => update({ method, top: null, min: null, region: null })} />
          {sel ? (
            <RuleControl view={view} rule={sel.rule} count={selected} scored={sel.scored} marker={pm.marker} range={bins ?? { lo: -1, hi: 1 }} onChange={update} />
          ) : (
            <div className="skeleton" style={{ height: 64 }} />
          )}
          <p className="selected-count" data-testid="selected-count" aria-live="polite">
            {model && sel ? selectedCountText(selected, sel.scored, model.n) : "Loading…"}
          </p>
          <p className="sub" data-testid="rule-text">
            Selected: {sel ? ruleText(sel.method, sel.rule) : "…"}. Excluded prompts miss an epoch{sel?.method === "lim" ? " or have an undefined score" : sel?.method === "linear" ? " or have fewer than 3 epochs" : ""}.
          </p>
          {sel && run.kind !== "scores" && <CopyCommand command={cliCommand("score", run.name, view, sel.rule)} />}
          <MethodWarnings warnings={pm.warnings} />
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

      {model && pm.mc && sel && model.lim && (
        <MethodsOverview
          methods={pm.mc}
          selection={sel}
          equal={pm.equal}
          budget={pm.budget}
          view={view}
          active={active}
          onFocus={update}
          onPick={(o) => update({ prompt: o })}
        />
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
        <TableFocus view={view} onClear={() => update({ category: null, kept: null, inRegion: null, answers: false })} />
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
        {model && pm.mc && sel ? (
          <PromptTable
            model={model}
            methods={pm.mc}
            groups={sel.groups}
            texts={texts}
            answers={answers}
            order={order}
            sort={view.sort}
            desc={view.desc}
            active={active}
            onSort={(sort: SortKey, desc: boolean) => update({ sort, desc })}
            onActivate={(o) => update({ prompt: o })}
            onOpen={(o) => {
              flushUrl();
              router.push(promptHref(o));
            }}
            listKey={[view.filter, view.category, view.inRegion, view.kept?.join(), view.sort, view.desc].join(" ")}
          />
        ) : (
          <div className="skeleton table-skeleton" aria-busy="true" aria-label="Loading prompts" />
        )}
        {model && sel && active !== null && (
          <PromptPanel model={model} texts={texts} ordinal={active} group={sel.groups[active]} rule={ruleText(sel.method, sel.rule)} href={promptHref(active)} onClose={() => update({ prompt: null })} />
        )}
      </section>
    </main>
  );
}

