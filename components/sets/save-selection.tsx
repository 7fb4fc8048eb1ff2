"use client";
import Link from "next/link";
import { useRef, useState } from "react";

/**
 * "Save selection": a small form (name, note) that saves what the export link downloads as a
 * set. `exportHref` is the page's export URL; its query (method, rule, scoring parameters,
 * format, withScores) goes to POST /api/sets as it is, read there by the export route's parsers.
 */
export function SaveSelection({ run, exportHref, ready }: { run: string; exportHref: string; ready: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ name: string; rows: number } | null>(null);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const query = exportHref.includes("?") ? exportHref.slice(exportHref.indexOf("?") + 1) : "";
      const res = await fetch("/api/sets", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ run, name, note, query }) });
      const body = await res.json().catch(() => ({ error: `the server answered ${res.status}` }));
      if (!res.ok) throw new Error(String(body.error ?? `the server answered ${res.status}`));
      setSaved({ name: body.name, rows: body.counts.rows });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={!ready}
        onClick={() => {
          setSaved(null);
          setError(null);
          dialog.current?.showModal();
        }}
      >
        Save selection
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="save-set-title">
        <form onSubmit={save} data-testid="save-set-form">
          <h2 id="save-set-title">Save this selection as a set</h2>
          <p className="muted">Keeps exactly what the export button downloads, in every format, with this run&apos;s method, rule and parameters. It lasts after the run is re-scored, replaced or deleted.</p>
          <label className="field">
            <span>Name</span>
            <input className="input" name="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </label>
          <label className="field">
            <span>Note (optional)</span>
            <textarea className="input" name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          {error && (
            <p className="error-text" role="alert">
              Could not save: {error}
            </p>
          )}
          {saved && (
            <p role="status" data-testid="save-set-done">
              Saved {saved.rows.toLocaleString("en-US")} rows as{" "}
              <Link href={`/sets/${encodeURIComponent(saved.name)}`}>{saved.name}</Link>.
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => dialog.current?.close()}>
              {saved ? "Close" : "Cancel"}
            </button>
            {!saved && (
              <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === ""}>
                {busy ? "Saving…" : "Save set"}
              </button>
            )}
          </div>
        </form>
      </dialog>
    </>
  );
}
