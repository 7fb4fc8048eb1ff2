/** Shown while the server scores the run for this prompt's page (the layout stays put). */
export default function Loading() {
  return (
    <main className="prompt-page" aria-busy="true">
      <p className="muted">Loading the prompt and scoring its run…</p>
      <div className="skeleton" style={{ height: 60 }} />
      <div className="prompt-grid">
        <div className="skeleton" style={{ height: 280 }} />
        <div className="skeleton" style={{ height: 280 }} />
      </div>
      <div className="skeleton" style={{ height: 320 }} />
    </main>
  );
}
