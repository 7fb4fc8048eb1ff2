import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { preload } from "react-dom";
import { getRun } from "../../../lib/db";
import { toRunInfo } from "../../../lib/view/run-info";
import { paramsQuery, parseViewState } from "../../../lib/view/view-state";
import { DatabaseError } from "../../../components/database-error";
import { RunView } from "../../../components/run/run-view";
import { safeDatabaseUrl } from "../../_server/db-url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: decodeURIComponent(name) };
}

/** The run page: the server only checks the run exists; the browser fetches its scores. */
export default async function RunPage({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).name);
  let run;
  try {
    run = await getRun(name);
  } catch (error) {
    return <DatabaseError url={safeDatabaseUrl()} message={(error as Error).message} />;
  }
  if (!run) notFound();
  const initial = parseViewState(await searchParams);
  // Start downloading the run's data while the page's scripts load (the same URL the
  // browser's fetch asks for, so it is served from this preload).
  const pq = paramsQuery(initial).toString();
  preload(`/api/runs/${encodeURIComponent(run.name)}/view${pq ? `?${pq}` : ""}`, { as: "fetch", crossOrigin: "anonymous" });
  return <RunView key={run.name} run={toRunInfo(run)} initial={initial} />;
}
