/** bench:load's report: per database, a table of endpoints and what the ingest and deletes did. */
import type { DbKind } from "./load-databases";
import { newStats, percentile, type EndpointStats } from "./load-traffic";

const say = (line = "") => process.stdout.write(`${line}\n`);
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface LoadShape {
  clients: number;
  prompts: number;
  deletes: number;
}

export interface DbReport {
  kind: DbKind;
  describe: string;
  firstIngestMs: number;
  serverStartMs: number;
  warmUp: { name: string; ms: number; status: string }[];
  load: { stats: EndpointStats[]; wallMs: number };
  deletes: EndpointStats;
  deletesDuringIngest: number;
  /** Whether every run a DELETE answered 2xx for is gone from `lim runs`, and every other one still there. */
  deletesHeld: boolean;
  second: { code: number | null; ms: number; stderr: string; startedAt: number; startedAfterMs: number; endedBeforeLoadEnd: boolean; listed: boolean; served: number };
  rss: { startMB: number; peakMB: number; endMB: number };
  loadavgStart: string;
  loadavgEnd: string;
}



/** wallMs null: no throughput (requests sent at set times, not as fast as answered). */
function row(s: EndpointStats, wallMs: number | null): string {
  const sorted = [...s.latenciesMs].sort((a, b) => a - b);
  const errors = s.requests - s.ok;
  const byStatus = [...s.failures].map(([status, n]) => `${n} x ${status < 0 ? "network" : status}`).join(", ");
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : "-");
  return `| ${s.name} | ${s.requests} | ${wallMs === null ? "-" : ((s.requests * 1000) / wallMs).toFixed(1)} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} | ${errors}${errors ? ` (${byStatus})` : ""} |`;
}

export function report(r: DbReport, { clients, prompts, deletes }: LoadShape): void {
  const { stats, wallMs } = r.load;
  const total: EndpointStats = newStats("all");
  for (const s of stats) {
    total.requests += s.requests;
    total.ok += s.ok;
    total.latenciesMs.push(...s.latenciesMs);
    for (const [k, n] of s.failures) total.failures.set(k, (total.failures.get(k) ?? 0) + n);
  }
  say(`\n### ${r.describe}: ${clients} clients, ${s1(wallMs)}, ${prompts.toLocaleString("en-US")} prompts; load average ${r.loadavgStart} at start, ${r.loadavgEnd} at end`);
  say();
  say("| endpoint | requests | req/s | p50 | p99 | max | errors |");
  say("| --- | --- | --- | --- | --- | --- | --- |");
  for (const s of stats) say(row(s, wallMs));
  say(row(total, wallMs));
  // Every request, split by whether it was under way while the second ingest ran.
  const from = r.second.startedAt;
  const to = r.second.startedAt + r.second.ms;
  const during = newStats("all, sent or answered while lim ingest wrote");
  const outside = newStats("all, the rest of the load");
  for (const s of stats) {
    s.latenciesMs.forEach((ms, i) => {
      const sent = s.sentAtMs[i];
      const side = sent < to && sent + ms > from ? during : outside;
      side.requests++;
      side.latenciesMs.push(ms);
      if (s.okAt[i]) side.ok++;
      else side.failures.set(0, (side.failures.get(0) ?? 0) + 1);
    });
  }
  for (const s of [during, outside]) say(row(s, null).replace(/\(\d+ x 0\)/, "(see above)"));
  if (r.deletes.requests) say(row(r.deletes, null));
  say();
  for (const s of [...stats, r.deletes]) for (const m of s.messages) say(`  error: ${m}`);
  say(`  server RSS (start.mjs and its children, VmRSS summed): ${r.rss.startMB.toFixed(0)} MB before the load, peak ${r.rss.peakMB.toFixed(0)} MB, ${r.rss.endMB.toFixed(0)} MB at the end`);
  const s = r.second;
  say(
    `  second ingest (lim ingest load-2, started ${s1(s.startedAfterMs)} into the load): ` +
      (s.code === 0 ? `exit 0 in ${s1(s.ms)} (the first, alone: ${s1(r.firstIngestMs)})` : `FAILED, exit ${s.code}: ${s.stderr.trim().split("\n").slice(-3).join(" / ")}`) +
      `; ${s.endedBeforeLoadEnd ? "ended during the load" : "ended after the load"}; listed by lim runs: ${s.listed ? "yes" : "NO"}; served (GET /api/runs/load-2/view): ${s.served}`,
  );
  say(`  web deletes sent while it wrote: ${r.deletes.requests} of ${deletes}, answered before it ended: ${r.deletesDuringIngest} (${r.deletes.ok} ok, ${r.deletes.requests - r.deletes.ok} failed); lim runs agrees with the answers: ${r.deletesHeld ? "yes" : "NO"}`);
  say(`  warm-up (first request each, after the server's start in ${s1(r.serverStartMs)}): ${r.warmUp.map((w) => `${w.name} ${w.ms.toFixed(0)} ms`).join(", ")}`);
}
