import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getSet, listSets, type SavedSet } from "../../../lib/sets";
import { formatBytes } from "../../../lib/view/format";
import { DatabaseError } from "../../../components/database-error";
import { CopyCommand } from "../../../components/copy-command";
import { DeleteSet } from "../../../components/sets/delete-set";
import { SetDiff } from "../../../components/sets/set-diff";
import { SetProvenance } from "../../../components/sets/set-provenance";
import { PagedRows } from "../../../components/sets/set-rows";
import { safeDatabaseUrl } from "../../_server/db-url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Set ${decodeURIComponent((await params).name)}` };
}

/** A saved set: provenance, downloads (the bytes `lim sets export` writes), its rows a page at a time, the diff against another set, delete. */
export default async function SetPage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  let set: SavedSet | null;
  let others: string[];
  try {
    set = await getSet(name);
    others = (await listSets()).map((s) => s.name).filter((n) => n !== name);
  } catch (error) {
    return <DatabaseError url={safeDatabaseUrl()} message={(error as Error).message} />;
  }
  if (!set) notFound();
  const href = (f: string) => `/api/sets/${encodeURIComponent(set.name)}/export?format=${f}`;
  return (
    <main className="set-page">
      <div className="page-head">
        <p className="muted">
          <Link href="/sets">Sets</Link> /
        </p>
        <h1>{set.name}</h1>
      </div>
      <section className="card">
        <h2>Provenance</h2>
        <SetProvenance set={set} />
      </section>
      <section className="card">
        <h2>Download</h2>
        <p className="muted">Exactly the bytes the export wrote when the set was saved.</p>
        <div className="set-downloads" style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {set.files.map((f) => (
            <a key={f.format} className={`btn${f.format === set.format ? " btn-primary" : ""}`} href={href(f.format)} download data-testid={`set-download-${f.format}`}>
              Download {f.format.toUpperCase()} ({formatBytes(f.bytes)})
            </a>
          ))}
        </div>
        <CopyCommand command={`npx lim sets export ${JSON.stringify(set.name)} --format ${set.format} --out ${set.name.replace(/[^A-Za-z0-9._-]+/g, "_")}.${set.format}`} />
      </section>
      <section className="card">
        <h2>Rows</h2>
        <PagedRows url={`/api/sets/${encodeURIComponent(set.name)}/rows`} label={`Rows of ${set.name}`} />
      </section>
      <section className="card">
        <h2>Diff against another set</h2>
        <SetDiff name={set.name} others={others} />
      </section>
      <section>
        <DeleteSet name={set.name} />
      </section>
    </main>
  );
}
