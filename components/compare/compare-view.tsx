"use client";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { flips, SELECTED_A } from "../../lib/compare/join-runs";
import { hexToRgb } from "../../lib/view/cartography-raster";
import { decodeCompare, type CompareBody } from "../../lib/view/compare-bytes";
import { formatInt, formatScore } from "../../lib/view/format";
import { MathText } from "../math-text";
import { rasterizeScatter, scatterDomain, scatterPixel, type ScatterColors } from "../../lib/view/scatter-raster";

const W = 420;
const H = 420;
const PAGE = 50;

function cssColors(el: HTMLElement): ScatterColors {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: [number, number, number]) => hexToRgb(s.getPropertyValue(name), fallback);
  return { background: v("--bg", [255, 255, 255]), neither: v("--map-point", [100, 116, 139]), both: v("--accent", [194, 65, 12]), onlyA: [37, 99, 235], onlyB: [5, 150, 105] };
}

/** The Compare page's body: counts as `lim compare-runs --json`, the scatter on a canvas, the flips as a table. */
export function CompareView({ a, b, threshold }: { a: string; b: string; threshold: string }) {
  const [body, setBody] = useState<CompareBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const q = new URLSearchParams({ a, b });
    if (threshold) q.set("threshold", threshold);
    fetch(`/api/compare?${q}`, { signal: ctrl.signal })
      .then(async (res) => {
        if (!res.ok) throw new Error(String((await res.json().catch(() => ({}))).error ?? res.statusText));
        setBody(decodeCompare(await res.arrayBuffer()));
      })
      .catch((e: Error) => e.name !== "AbortError" && setError(e.message));
    return () => ctrl.abort();
  }, [a, b, threshold]);
  if (error)
    return (
      <div className="notice error" role="alert">
        <h2>Could not compare these runs</h2>
        <p>{error}</p>
      </div>
    );
  if (!body) return <p className="muted">Scoring and joining both runs…</p>;
  return <CompareBodyView body={body} />;
}

function CompareBodyView({ body }: { body: CompareBody }) {
  const { summary: s, key, threshold } = body.header;
  const j = body.joined;
  const flipped = useMemo(() => flips(j), [j]);
  const rows: [string, number | string][] = [
    ["joined (scored in both)", s.joined],
    ["spearman (LIM scores, ties averaged)", s.spearman === null ? "undefined" : s.spearman.toFixed(4)],
    ["selected by both", s.both_selected],
    [`selected by ${s.a} only`, s.only_a_selected],
    [`selected by ${s.b} only`, s.only_b_selected],
    [`scored in ${s.a} only`, s.unjoined_a],
    [`scored in ${s.b} only`, s.unjoined_b],
  ];
  const ids = ["joined", "spearman", "both", "only-a", "only-b", "unjoined-a", "unjoined-b"];
  return (
    <>
      <section className="compare-overview">
        <div className="card">
          <h2>
            {s.a} vs {s.b}
          </h2>
          <p className="muted">
            Joined by {key === "id" ? "dataset id" : "prompt text"}; each run selects LIM score ≥ {threshold}.
          </p>
          <p>
            <a className="btn" download data-testid="transfer-link" href={`/api/compare/transfer?${new URLSearchParams({ from: s.a, to: s.b, threshold: String(threshold) })}`} title={`${s.b}'s dataset rows of the ${formatInt(s.a_selected)} prompts ${s.a} selects, as lim transfer writes them`}>
              Transfer {s.a}&apos;s selection to {s.b} (JSONL)
            </a>
          </p>
          <table className="plain" data-testid="compare-counts">
            <tbody>
              {rows.map(([label, v], i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num" data-testid={`compare-${ids[i]}`}>
                    {typeof v === "number" ? formatInt(v) : v}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="card">
          <h2>LIM score in {s.a} (across) and {s.b} (up)</h2>
          <Scatter body={body} />
        </div>
      </section>
      <FlipTable body={body} flipped={flipped} />
    </>
  );
}

function Scatter({ body }: { body: CompareBody }) {
  const j = body.joined;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [colors, setColors] = useState<ScatterColors | null>(null);
  const domain = useMemo(() => scatterDomain(j.scoresA, j.scoresB), [j]);
  const pixels = useMemo(() => (colors ? rasterizeScatter(j.scoresA, j.scoresB, j.selected, domain, W, H, colors) : null), [j, domain, colors]);
  useEffect(() => {
    if (canvas.current) setColors(cssColors(canvas.current));
  }, []);
  useEffect(() => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx || !pixels) return;
    ctx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, W, H), 0, 0);
    // Both thresholds as quadrant lines.
    const t = body.header.threshold;
    const x = scatterPixel(t, domain, W) + 0.5;
    const y = scatterPixel(t, domain, H, true) + 0.5;
    ctx.strokeStyle = getComputedStyle(canvas.current!).getPropertyValue("--fg") || "#111827";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, H);
    ctx.moveTo(0, y);
    ctx.lineTo(W, y);
    ctx.stroke();
  }, [pixels, domain, body.header.threshold]);
  const { a, b } = body.header.summary;
  return (
    <div className="compare-scatter">
      <canvas
        ref={canvas}
        width={W}
        height={H}
        role="img"
        data-testid="compare-scatter"
        aria-label={`Scatter of ${formatInt(j.count)} joined prompts: LIM score in ${a} across, in ${b} up, from ${domain[0].toFixed(2)} to ${domain[1].toFixed(2)}, thresholds at ${body.header.threshold} as dashed lines.`}
      />
      <p className="scatter-legend">
        <span><i style={{ background: "var(--accent)" }} /> both select</span>
        <span><i style={{ background: "rgb(37 99 235)" }} /> {a} only</span>
        <span><i style={{ background: "rgb(5 150 105)" }} /> {b} only</span>
        <span><i style={{ background: "var(--map-point)" }} /> neither</span>
        <span className="muted">axes {domain[0].toFixed(2)} to {domain[1].toFixed(2)}, dashed: threshold {body.header.threshold}</span>
      </p>
    </div>
  );
}

/** The prompts one run selects and the other does not, a page at a time, each opening its prompt page in both runs. */
function FlipTable({ body, flipped }: { body: CompareBody; flipped: Uint32Array }) {
  const j = body.joined;
  const { a, b } = body.header.summary;
  const [offset, setOffset] = useState(0);
  const [texts, setTexts] = useState<Map<number, string>>(new Map());
  const page = useMemo(() => Array.from(flipped.subarray(offset, offset + PAGE)), [flipped, offset]);
  useEffect(() => {
    if (page.length === 0) return;
    const ctrl = new AbortController();
    const ordinals = page.map((i) => j.ordinalsA[i]).join(",");
    fetch(`/api/runs/${encodeURIComponent(a)}/texts?ordinals=${ordinals}`, { signal: ctrl.signal })
      .then((res) => (res.ok ? res.json() : null))
      .then((body: { ordinals: number[]; texts: string[] } | null) => body && setTexts(new Map(body.ordinals.map((o, k) => [o, body.texts[k]]))))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [page, a, j]);
  const last = Math.min(flipped.length, offset + PAGE);
  return (
    <section className="card">
      <h2>Prompts that flip ({formatInt(flipped.length)})</h2>
      {flipped.length === 0 ? (
        <p className="muted">Both runs select the same joined prompts.</p>
      ) : (
        <>
          <div className="table-toolbar">
            <span className="rows-count">
              {formatInt(offset + 1)}–{formatInt(last)} of {formatInt(flipped.length)}
            </span>
            <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <button type="button" className="btn btn-small" disabled={last >= flipped.length} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
          <table className="plain flip-table" data-testid="flip-table">
            <thead>
              <tr>
                <th>Prompt</th>
                <th className="num">Score in {a}</th>
                <th className="num">Score in {b}</th>
                <th>Selected by</th>
                <th>Open</th>
              </tr>
            </thead>
            <tbody>
              {page.map((i) => {
                const oa = j.ordinalsA[i];
                const ob = j.ordinalsB[i];
                return (
                  <tr key={i}>
                    <td className="set-prompt">{texts.has(oa) ? <MathText text={texts.get(oa)!} inline /> : "…"}</td>
                    <td className="num" title={j.scoresA[i].toFixed(4)}>{formatScore(j.scoresA[i])}</td>
                    <td className="num" title={j.scoresB[i].toFixed(4)}>{formatScore(j.scoresB[i])}</td>
                    <td>{j.selected[i] === SELECTED_A ? `${a} only` : `${b} only`}</td>
                    <td>
                      <Link href={`/runs/${encodeURIComponent(a)}/prompts/${oa}`} aria-label={`Open prompt ${oa} in ${a}`}>
                        in {a}
                      </Link>{" "}
                      ·{" "}
                      <Link href={`/runs/${encodeURIComponent(b)}/prompts/${ob}`} aria-label={`Open prompt ${ob} in ${b}`}>
                        in {b}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
