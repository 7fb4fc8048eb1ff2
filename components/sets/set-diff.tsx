"use client";
import { useEffect, useState } from "react";
import { formatInt } from "../../lib/view/format";
import { PagedRows } from "./set-rows";

type Part = "only_a" | "only_b" | "both";
interface Counts {
  by: "id" | "prompt";
  only_a: number;
  only_b: number;
  both: number;
}

/** The diff against another set (`lim sets diff <set> <other> --json`), and each part's rows on request. */
export function SetDiff({ name, others }: { name: string; others: string[] }) {
  const [other, setOther] = useState("");
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [part, setPart] = useState<Part | null>(null);
  const base = `/api/sets/${encodeURIComponent(name)}/diff?with=${encodeURIComponent(other)}`;
  useEffect(() => {
    setCounts(null);
    setPart(null);
    if (!other) return;
    const ctrl = new AbortController();
    fetch(base, { signal: ctrl.signal })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(String(body.error ?? res.statusText));
        setError(null);
        setCounts(body);
      })
      .catch((e: Error) => e.name !== "AbortError" && setError(e.message));
    return () => ctrl.abort();
  }, [base, other]);
  if (others.length === 0) return <p className="muted">No other set to compare with yet: save another selection.</p>;
  const labels: Record<Part, string> = { only_a: `Only in ${name}`, only_b: `Only in ${other}`, both: "In both" };
  return (
    <div className="set-diff">
      <label className="field" style={{ maxWidth: 360 }}>
        <span>Compare with</span>
        <select className="input" aria-label="Compare with set" value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">Choose a set…</option>
          {others.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      {error && <p className="error-text" role="alert">{error}</p>}
      {counts && (
        <>
          <p className="muted">Rows matched by {counts.by === "id" ? "the dataset's id" : "prompt"}.</p>
          <div className="diff-counts" data-testid="diff-counts">
            {(["only_a", "only_b", "both"] as Part[]).map((p) => (
              <button key={p} type="button" className={`btn${part === p ? " btn-primary" : ""}`} aria-pressed={part === p} data-part={p} onClick={() => setPart(part === p ? null : p)}>
                {labels[p]}: <span className="num" data-testid={`diff-${p}`}>{formatInt(counts[p])}</span>
              </button>
            ))}
          </div>
          {part && <PagedRows url={`${base}&part=${part}`} label={labels[part]} />}
        </>
      )}
    </div>
  );
}
