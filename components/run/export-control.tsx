"use client";
import { useState } from "react";
import { formatInt } from "../../lib/view/format";
import { SaveSelection } from "../sets/save-selection";

const FORMATS = [
  { id: "jsonl", label: "JSONL" },
  { id: "json", label: "JSON" },
  { id: "parquet", label: "Parquet" },
] as const;

/**
 * The export button with its file format and the "with scores" option: the route writes the
 * same bytes as `lim export --format F [--with-scores]` for the parameters in `href`.
 */
export function ExportControl({ href, selected, ready, run }: { href: string; selected: number; ready: boolean; run: string }) {
  const [format, setFormat] = useState<(typeof FORMATS)[number]["id"]>("jsonl");
  const [withScores, setWithScores] = useState(false);
  const extra = `${format === "jsonl" ? "" : `&format=${format}`}${withScores ? "&withScores=true" : ""}`;
  const label = FORMATS.find((f) => f.id === format)!.label;
  return (
    <div className="export-control" style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap", justifyContent: "flex-end" }}>
      <a className={`btn btn-primary${ready ? "" : " disabled"}`} href={`${href}${extra}`} download data-testid="export-link" aria-disabled={!ready}>
        Export {ready ? formatInt(selected) : ""} selected ({label})
      </a>
      <label className="export-option">
        <span className="visually-hidden">Export format</span>
        <select className="input" style={{ width: "auto" }} aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox export-option" title="Adds each row's score for the chosen method: lim_score, variance_score, pass_rate_score, ... (cartography: its confidence and variability)">
        <input type="checkbox" checked={withScores} onChange={(e) => setWithScores(e.target.checked)} /> with scores
      </label>
      <SaveSelection run={run} exportHref={`${href}${extra}`} ready={ready} />
    </div>
  );
}
