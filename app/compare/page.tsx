import type { Metadata } from "next";
import { listRuns } from "../../lib/db";
import { DatabaseError } from "../../components/database-error";
import { CompareView } from "../../components/compare/compare-view";
import { safeDatabaseUrl } from "../_server/db-url";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

/** Two runs of one dataset side by side: `/compare?a=<run>&b=<run>[&threshold=T]`, as `lim compare-runs A B`. */
export default async function ComparePage({ searchParams }: Props) {
  const sp = await searchParams;
  let names: string[];
  try {
    names = (await listRuns()).map((r) => r.name);
  } catch (error) {
    return <DatabaseError url={safeDatabaseUrl()} message={(error as Error).message} />;
  }
  const a = one(sp.a);
  const b = one(sp.b);
  const threshold = one(sp.threshold);
  return (
    <main className="compare-page">
      <div className="page-head">
        <h1>Compare runs</h1>
        <p className="muted">Two runs of one dataset (say a small and a large model), joined prompt by prompt among those scored in both: how their LIM scores agree, and the prompts one run selects and the other does not.</p>
      </div>
      <form className="compare-choose" method="get" action="/compare">
        {(["a", "b"] as const).map((k) => (
          <label key={k} className="field">
            <span>Run {k.toUpperCase()}</span>
            <select className="input" name={k} defaultValue={k === "a" ? a : b} aria-label={`Run ${k.toUpperCase()}`}>
              <option value="">Choose a run…</option>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="field">
          <span>LIM threshold (both)</span>
          <input className="input" name="threshold" type="number" step="0.01" defaultValue={threshold || "0.6"} aria-label="LIM threshold" />
        </label>
        <button type="submit" className="btn btn-primary">
          Compare
        </button>
      </form>
      {a && b ? <CompareView key={`${a}\n${b}\n${threshold}`} a={a} b={b} threshold={threshold} /> : <p className="muted">Choose two runs. The same from the command line: <code>npx lim compare-runs A B</code></p>}
    </main>
  );
}
