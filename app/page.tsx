import { listRuns } from "../lib/db";
import { runListRows, type RunListRow } from "../lib/view/run-list";
import { DatabaseError } from "../components/database-error";
import { CopyCommand } from "../components/copy-command";
import { RunsTable } from "../components/runs/runs-table";
import { UploadForm } from "../components/runs/upload-form";
import { safeDatabaseUrl } from "./_server/db-url";
import { getRunCounts } from "./_server/scored-runs";
import { uploadCapOrNull } from "./_server/upload-stream";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  let rows: RunListRow[];
  try {
    const runs = await listRuns();
    // One run at a time: scoring is CPU-bound, and a run that cannot be scored still lists.
    const counts = [];
    for (const run of runs) counts.push(await getRunCounts(run).catch(() => null));
    rows = runListRows(runs, counts);
  } catch (error) {
    return <DatabaseError url={safeDatabaseUrl()} message={(error as Error).message} />;
  }
  return (
    <main className="runs-page">
      <div className="page-head">
        <h1>Runs</h1>
        <p className="muted">Each run is one training job&apos;s reward log. Open one to see how the model learned and choose the prompts worth training on.</p>
      </div>
      {rows.length === 0 ? (
        <div className="notice" data-testid="no-runs">
          <h2>No runs yet</h2>
          <p>Ingest a run&apos;s reward logs (a folder of step_N.json files) from the command line:</p>
          <CopyCommand command="npx lim ingest runs/math8k/train --name math8k --steps-per-epoch 8 --dataset math.8k.json" />
          <p>or drop a small run below. To look around first, create the seeded demo run:</p>
          <CopyCommand command="npx lim demo" />
        </div>
      ) : (
        <RunsTable rows={rows} />
      )}
      <UploadForm maxBytes={uploadCapOrNull()} />
    </main>
  );
}
