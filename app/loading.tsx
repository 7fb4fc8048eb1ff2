/** While a page reads the database (the first visit after a start scores each run once). */
export default function Loading() {
  return (
    <main aria-busy="true">
      <p className="muted">Loading…</p>
      <div className="skeleton" style={{ height: 120 }} />
    </main>
  );
}
