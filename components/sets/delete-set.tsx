"use client";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

/** Deletes a set after a confirmation naming it; its run is not touched. */
export function DeleteSet({ name }: { name: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/sets/${encodeURIComponent(name)}`, { method: "DELETE" });
      if (!res.ok) throw new Error(String((await res.json().catch(() => ({}))).error ?? `the server answered ${res.status}`));
      dialog.current?.close();
      router.push("/sets");
      router.refresh();
    } catch (e) {
      setError(`Could not delete "${name}": ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => dialog.current?.showModal()}>
        Delete set
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby="delete-set-title">
        <h2 id="delete-set-title">Delete set “{name}”?</h2>
        <p>Its stored files and provenance are removed. The run it came from is not touched.</p>
        {error && <p className="error-text" role="alert">{error}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={confirm} disabled={busy}>
            {busy ? "Deleting…" : "Delete set"}
          </button>
        </div>
      </dialog>
    </>
  );
}
