"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { formatCompact, formatDateTime, formatInt } from "../../lib/view/format";
import type { RunListRow } from "../../lib/view/run-list";

/** Every run with its facts; a run is deleted only after a confirmation naming it. */
export function RunsTable({ rows }: { rows: RunListRow[] }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirmDelete() {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/runs/${encodeURIComponent(target)}`, { method: "DELETE" });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        throw new Error(body.error ?? `the server answered ${res.status}`);
      }
      dialog.current?.close();
      setTarget(null);
      router.refresh();
    } catch (e) {
      setError(`Could not delete "${target}": ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <table className="plain runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Format</th>
            <th className="num">Prompts</th>
            <th className="num">Scored</th>
            <th className="num">Excluded</th>
            <th className="num">Epochs</th>
            <th className="num">Rollouts</th>
            <th>Created</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-run={r.name}>
              <td>
                <Link href={`/runs/${encodeURIComponent(r.name)}`} className="run-link">
                  {r.name}
                </Link>
                {r.live ? (
                  <span className="reward-badge success live-badge" title="lim ingest --watch is adding this run's new steps as the trainer logs them">
                    Live
                  </span>
                ) : null}
              </td>
              <td>{r.format}</td>
              <td className="num">{formatInt(r.prompts)}</td>
              <td className="num">{r.scored === null ? "—" : formatInt(r.scored)}</td>
              <td className="num">{r.excluded === null ? "—" : formatInt(r.excluded)}</td>
              <td className="num">{r.epochs === null ? "—" : formatInt(r.epochs)}</td>
              <td className="num">{r.kind === "scores" ? "—" : formatCompact(r.rollouts)}</td>
              <td suppressHydrationWarning>{formatDateTime(r.createdAt)}</td>
              <td className="num">
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  aria-label={`Delete run ${r.name}`}
                  onClick={() => {
                    setTarget(r.name);
                    setError(null);
                    dialog.current?.showModal();
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="delete-title" onClose={() => setTarget(null)}>
        <h2 id="delete-title">Delete run “{target}”?</h2>
        <p>Its stored aggregates, examples and dataset rows are removed from the database. The log files on disk are not touched.</p>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={confirmDelete} disabled={busy}>
            {busy ? "Deleting…" : "Delete run"}
          </button>
        </div>
      </dialog>
    </>
  );
}
