import type { Metadata } from "next";
import Link from "next/link";
import { describeRule } from "../../lib/methods/select";
import { listSets, type SavedSet } from "../../lib/sets";
import { formatInt } from "../../lib/view/format";
import { CopyCommand } from "../../components/copy-command";
import { DatabaseError } from "../../components/database-error";
import { safeDatabaseUrl } from "../_server/db-url";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sets" };

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

/** Every saved set, newest first (`lim sets list`), with its provenance. */
export default async function SetsPage() {
  let sets: SavedSet[];
  try {
    sets = await listSets();
  } catch (error) {
    return <DatabaseError url={safeDatabaseUrl()} message={(error as Error).message} />;
  }
  return (
    <main className="sets-page">
      <div className="page-head">
        <h1>Sets</h1>
        <p className="muted">A saved set keeps a selection as the exact file the export wrote, with everything that made it. It outlives re-scoring, replacing or deleting its run.</p>
      </div>
      {sets.length === 0 ? (
        <div className="notice" data-testid="no-sets">
          <h2>No saved sets yet</h2>
          <p>
            Open a <Link href="/">run</Link>, choose a method and rule, and press <strong>Save selection</strong> beside the export button. Or from the command line:
          </p>
          <CopyCommand command="npx lim sets save demo --name demo-0.6 --threshold 0.6" />
        </div>
      ) : (
        <table className="plain sets-table" data-testid="sets-table">
          <thead>
            <tr>
              <th>Set</th>
              <th>Run</th>
              <th>Method and rule</th>
              <th>Parameters</th>
              <th className="num">Rows</th>
              <th className="num">Scored</th>
              <th>Note</th>
              <th>Saved (UTC)</th>
              <th>Tool</th>
              <th>SHA-256 ({"default format"})</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => {
              const p = s.parameters;
              const sha = s.files.find((f) => f.format === s.format)?.sha256 ?? "";
              return (
                <tr key={s.name} data-set={s.name}>
                  <td>
                    <Link href={`/sets/${encodeURIComponent(s.name)}`}>{s.name}</Link>
                  </td>
                  <td>{s.run.name}</td>
                  <td>
                    {s.method}, {describeRule(s.rule)}
                    {s.seed !== null ? `, seed ${s.seed}` : ""}
                  </td>
                  <td className="muted">
                    {p.stepsPerEpoch} steps/epoch, by {p.epochMode}, max {p.maxEpochs}, success {p.successReward}
                  </td>
                  <td className="num">{formatInt(s.counts.rows)}</td>
                  <td className="num">{formatInt(s.counts.scored)}</td>
                  <td>{s.note ?? ""}</td>
                  <td>{when(s.createdAt)}</td>
                  <td className="muted">
                    {s.tool.name} {s.tool.version}
                  </td>
                  <td>
                    <code className="sha" title={sha}>
                      {s.format} {sha.slice(0, 12)}…
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
