import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDatasetRows, getExamples, getRun, getSample } from "../../../../../lib/db";
import { describeEpochRule } from "../../../../../lib/lim/epochs";
import { sampleScore } from "../../../../../lib/lim/lim-score";
import { promptStepCounts } from "../../../../../lib/lim/run-columns";
import { exclusionAt } from "../../../../../lib/runs/score-run";
import { epochRows } from "../../../../../lib/view/epoch-table";
import { exclusionText } from "../../../../../lib/view/exclusion-text";
import { formatInt, formatPercent, formatScore } from "../../../../../lib/view/format";
import { promptCurveRows } from "../../../../../lib/view/prepare-prompt-curve";
import { datasetFields, examplesByEpoch } from "../../../../../lib/view/prompt-page";
import { methodColumns } from "../../../../../lib/view/method-columns";
import { ruleText } from "../../../../../lib/view/method-labels";
import { GROUPS } from "../../../../../lib/view/page-selection";
import { columnsFromScored, promptNeighbours, viewNeedsMethods } from "../../../../../lib/view/prompt-neighbours";
import { maskOf } from "../../../../../lib/view/prompt-search";
import { queryWords } from "../../../../../lib/view/table-order";
import { parseViewState, viewOverrides, viewStateQuery } from "../../../../../lib/view/view-state";
import { PromptCurveChart } from "../../../../../components/charts/prompt-curve-chart";
import { FoldedText } from "../../../../../components/prompt/folded-text";
import { EpochTable } from "../../../../../components/prompt/epoch-table";
import { ExampleList } from "../../../../../components/prompt/example-list";
import { errorMessage } from "../../../../_server/http-errors";
import { getRunTexts, getScoredRun, searchHits, textRankOf } from "../../../../_server/scored-runs";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string; ordinal: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, ordinal } = await params;
  return { title: `Prompt #${ordinal} · ${decodeURIComponent(name)}` };
}

/** One prompt's "why": its text and dataset row, per-epoch numbers, curve and kept rollouts. */
export default async function PromptPage({ params, searchParams }: Props) {
  const p = await params;
  const name = decodeURIComponent(p.name);
  const ordinal = Number(p.ordinal);
  if (!Number.isInteger(ordinal) || ordinal < 0) notFound();
  const view = parseViewState(await searchParams);
  const run = await getRun(name);
  if (!run) notFound();
  const sample = await getSample(run.id, ordinal);
  if (!sample) notFound();

  const overrides = viewOverrides(view);
  let entry;
  try {
    entry = await getScoredRun(name, overrides);
  } catch (error) {
    return (
      <main>
        <div className="notice error" role="alert">
          <h2>This prompt cannot be scored with these parameters</h2>
          <p>{errorMessage(error)}</p>
          <p>
            <Link className="btn" href={`/runs/${encodeURIComponent(name)}/prompts/${ordinal}`}>
              Use the run&apos;s own parameters
            </Link>
          </p>
        </div>
      </main>
    );
  }
  const { scored, rollouts } = entry;
  const limSample = scored.lim ? sampleScore(scored.lim, ordinal) : null;
  const score = scored.scores[ordinal];
  const K = scored.lim ? scored.params.maxEpochs : 0;
  const [examples, datasetRows] = await Promise.all([getExamples(run.id, ordinal), getDatasetRows(run.id, sample.prompt)]);
  const steps = scored.columns ? promptStepCounts(scored.columns, ordinal, scored.params.successReward, run.successRule) : [];
  const rule = scored.params.epochMode;
  const epochs = epochRows(steps, scored.params.stepsPerEpoch, K, scored.lim?.epochsInLog ?? 0, limSample?.backfilled ?? [], rule);
  const visitSteps = steps.filter((s) => s.rollouts > 0).map((s) => s.step);
  const curve = limSample ? promptCurveRows(scored.lim!.average, limSample.accuracy, limSample.filled, limSample.backfilled) : [];
  // The run page's order: its text order when sorted by prompt, the server's search for q.
  const texts = view.sort === "prompt" || queryWords(view.q).length > 0 ? await getRunTexts(name) : null;
  const rank = texts && view.sort === "prompt" ? await textRankOf(texts) : null;
  const hits = texts && queryWords(view.q).length > 0 ? await searchHits(texts, view.q) : null;
  const match = hits && maskOf(hits, texts!.count);
  const methods = scored.lim && viewNeedsMethods(view) ? methodColumns(scored.lim, scored.lim.scores, view.seed) : null;
  const { near, selection } = promptNeighbours(columnsFromScored(scored, rollouts, rank), view, ordinal, match, methods);
  const query = viewStateQuery({ ...view, prompt: null });
  const runHref = `/runs/${encodeURIComponent(name)}${viewStateQuery({ ...view, prompt: ordinal })}`;
  const promptHref = (o: number) => `/runs/${encodeURIComponent(name)}/prompts/${o}${query}`;
  const reason = exclusionText(exclusionAt(scored, ordinal), K);
  const group = selection.groups[ordinal];
  const selected = group === GROUPS.selected;

  return (
    <main className="prompt-page">
      <nav className="prompt-nav" aria-label="Prompt navigation">
        <Link href={runHref}>← {name}</Link>
        <span className="muted">
          {near.position !== null ? `${formatInt(near.position)} of ${formatInt(near.total)} in the table's order` : "not in the table's current filter"}
        </span>
        <span className="prev-next">
          {near.prev !== null ? (
            <Link className="btn btn-small" href={promptHref(near.prev)} rel="prev">
              ← Previous
            </Link>
          ) : (
            <span className="btn btn-small" aria-disabled="true">
              ← Previous
            </span>
          )}
          {near.next !== null ? (
            <Link className="btn btn-small" href={promptHref(near.next)} rel="next">
              Next →
            </Link>
          ) : (
            <span className="btn btn-small" aria-disabled="true">
              Next →
            </span>
          )}
        </span>
      </nav>

      <h1>Prompt #{ordinal}</h1>
      <section className="card prompt-text">
        <FoldedText text={sample.prompt} maxChars={2000} />
      </section>

      <section className="prompt-grid">
        <div className="card">
          <h2>Score</h2>
          <dl className="panel-facts">
            <div>
              <dt>LIM score</dt>
              <dd data-testid="prompt-score">{formatScore(score, 4)}</dd>
            </div>
            <div>
              <dt>By {ruleText(selection.method, selection.rule)}</dt>
              <dd className={selected ? "is-selected" : undefined}>{group === GROUPS.excluded ? "excluded" : selected ? "selected" : "not selected"}</dd>
            </div>
            <div>
              <dt>Rollouts</dt>
              <dd>{formatInt(rollouts[ordinal] ?? 0)}</dd>
            </div>
            <div>
              <dt>Parameters</dt>
              <dd>
                <span title={describeEpochRule(rule, scored.params.stepsPerEpoch, scored.lim?.visits ?? null)}>
                  {rule === "visits" ? "epochs by visits" : `${scored.params.stepsPerEpoch} steps/epoch`}
                </span>{" "}
                · {K} epochs · success = {scored.params.successReward}
              </dd>
            </div>
          </dl>
          {reason && <p className="exclusion-reason">{reason}</p>}
          <h3 className="dataset-title">Dataset row{datasetRows.length === 1 ? "" : "s"}</h3>
          {datasetRows.length === 0 ? (
            <p className="muted">{run.datasetFile ? "No dataset row has this prompt." : "This run was ingested without a dataset."}</p>
          ) : (
            datasetRows.map((row) => (
              <table className="plain dataset-fields" key={row.rowIndex}>
                <caption className="muted">row {formatInt(row.rowIndex)}</caption>
                <tbody>
                  {datasetFields(row, run.promptField).map((f) => (
                    <tr key={f.key}>
                      <th scope="row">{f.key}</th>
                      <td>
                        <FoldedText text={f.value} maxChars={300} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))
          )}
        </div>
        <div className="card">
          <h2>Accuracy per epoch</h2>
          <p className="sub">this prompt against the model average; hollow points were filled from the next epoch</p>
          {curve.length > 0 ? <PromptCurveChart rows={curve} height={240} /> : <p className="muted">No reward log for this run: no curve.</p>}
        </div>
      </section>

      {epochs.length > 0 && (
        <section className="card">
          <h2>Per epoch</h2>
          <EpochTable rows={epochs} average={scored.lim?.average ?? []} />
        </section>
      )}

      <section className="card">
        <h2>Kept example rollouts</h2>
        <p className="sub">
          {run.keepExamples > 0 ? `up to ${run.keepExamples} per epoch (a success and a failure where both exist), with their rewards` : "this run was ingested with --keep-examples 0"}
        </p>
        <ExampleList groups={examplesByEpoch(examples, scored.params.stepsPerEpoch, rule, visitSteps)} />
      </section>
    </main>
  );
}
