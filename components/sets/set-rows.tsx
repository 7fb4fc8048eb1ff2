"use client";
import { useEffect, useState } from "react";
import type { RowIdentity } from "../../lib/sets";
import { formatInt } from "../../lib/view/format";
import { MathText } from "../math-text";

const PAGE = 100;

/** A page of rows at a time from `url` (offset, limit appended): a set may hold tens of thousands. */
export function PagedRows({ url, label }: { url: string; label: string }) {
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; rows: RowIdentity[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setOffset(0), [url]);
  useEffect(() => {
    const ctrl = new AbortController();
    fetch(`${url}${url.includes("?") ? "&" : "?"}offset=${offset}&limit=${PAGE}`, { signal: ctrl.signal })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(String(body.error ?? res.statusText));
        setError(null);
        setData({ total: body.total, rows: body.rows });
      })
      .catch((e: Error) => e.name !== "AbortError" && setError(e.message));
    return () => ctrl.abort();
  }, [url, offset]);
  if (error) return <p className="error-text" role="alert">{error}</p>;
  if (!data) return <p className="muted">Loading rows…</p>;
  const last = Math.min(data.total, offset + PAGE);
  return (
    <div className="set-rows" data-testid="set-rows">
      <div className="table-toolbar">
        <span className="rows-count">
          {data.total === 0 ? "no rows" : `rows ${formatInt(offset + 1)}–${formatInt(last)} of ${formatInt(data.total)}`}
        </span>
        <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <button type="button" className="btn btn-small" disabled={last >= data.total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </div>
      <table className="plain" aria-label={label}>
        <thead>
          <tr>
            <th className="num">Dataset row</th>
            <th>Id</th>
            <th>Prompt</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r, i) => (
            <tr key={offset + i}>
              <td className="num">{r.row === null ? "—" : formatInt(r.row)}</td>
              <td>{r.id ?? "—"}</td>
              <td className="set-prompt">
                <MathText text={r.prompt.length > 200 ? `${r.prompt.slice(0, 200)}…` : r.prompt} inline />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
