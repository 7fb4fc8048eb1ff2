"use client";

/** Anything unexpected: say so plainly, keep the message, offer a retry. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <div className="notice error" role="alert">
        <h2>Something went wrong</h2>
        <p className="mono">{error.message}</p>
        <p>If the database was just moved or is being written by a large ingest, wait a moment and try again; the server log has the details{error.digest ? ` (digest ${error.digest})` : ""}.</p>
        <p>
          <button className="btn" onClick={() => reset()}>
            Try again
          </button>
        </p>
      </div>
    </main>
  );
}
