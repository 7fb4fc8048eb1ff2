/**
 * The traffic of `npm run bench:load`: concurrent clients on loopback, each sending one request
 * at a time from a fixed mix of what the dashboard asks for, until a deadline; per endpoint the
 * latency of every answer read to its last byte, and every failure (a non-2xx status or a
 * network error) with its first messages. Plus the server's memory, sampled from /proc.
 */
import { descendants, processMemory } from "./ui-helpers";

export interface Endpoint {
  /** The name the report prints. */
  name: string;
  /** How many of every mix's turns it takes. */
  weight: number;
  /** The request path for the n-th request to it (a different prompt, page of texts, ...). */
  path(n: number): string;
  method?: "GET" | "DELETE";
}

export interface EndpointStats {
  name: string;
  requests: number;
  ok: number;
  /** Non-2xx answers by status, and network errors under 0. */
  failures: Map<number, number>;
  /** The first few failures, in words. */
  messages: string[];
  latenciesMs: number[];
  /** When each request was sent (performance.now()), beside its latency. */
  sentAtMs: number[];
  /** Whether each request succeeded. */
  okAt: boolean[];
  bytes: number;
}

const MAX_MESSAGES = 3;

export function newStats(name: string): EndpointStats {
  return { name, requests: 0, ok: 0, failures: new Map(), messages: [], latenciesMs: [], sentAtMs: [], okAt: [], bytes: 0 };
}

/** One request, its body read to the end; recorded in `stats`. Never throws. */
export async function timedRequest(base: string, method: string, path: string, stats: EndpointStats, timeoutMs: number): Promise<void> {
  const started = performance.now();
  let status = -1;
  let failure: string | null = null;
  let bytes = 0;
  try {
    const res = await fetch(base + path, { method, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    status = res.status;
    const body = new Uint8Array(await res.arrayBuffer());
    bytes = body.byteLength;
    if (status < 200 || status > 299) failure = `${method} ${path} -> ${status}: ${Buffer.from(body.subarray(0, 200)).toString("utf8").replace(/\s+/g, " ")}`;
  } catch (error) {
    status = -1;
    const e = error as Error & { cause?: { code?: string; message?: string } };
    failure = `${method} ${path} -> ${e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : `${e.message}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ""}`}`;
  }
  const ms = performance.now() - started;
  stats.requests++;
  stats.latenciesMs.push(ms);
  stats.sentAtMs.push(started);
  stats.okAt.push(failure === null);
  stats.bytes += bytes;
  if (failure === null) stats.ok++;
  else {
    stats.failures.set(status, (stats.failures.get(status) ?? 0) + 1);
    if (stats.messages.length < MAX_MESSAGES) stats.messages.push(`${failure} (${ms.toFixed(0)} ms)`);
  }
}

export interface LoadOptions {
  base: string;
  endpoints: Endpoint[];
  clients: number;
  durationMs: number;
  timeoutMs: number;
}

/**
 * `clients` loops, each one request at a time, until the deadline (a request under way then
 * is finished and counted). Client c starts at turn c of the weighted mix, so every endpoint
 * is in flight from the first second.
 */
export async function runLoad(o: LoadOptions): Promise<{ stats: EndpointStats[]; wallMs: number }> {
  const turns = o.endpoints.flatMap((e, i) => Array.from({ length: e.weight }, () => i));
  const stats = o.endpoints.map((e) => newStats(e.name));
  const counters = o.endpoints.map(() => 0);
  const started = performance.now();
  const deadline = started + o.durationMs;
  await Promise.all(
    Array.from({ length: o.clients }, async (_, c) => {
      for (let turn = c; performance.now() < deadline; turn++) {
        const i = turns[turn % turns.length];
        const e = o.endpoints[i];
        await timedRequest(o.base, e.method ?? "GET", e.path(counters[i]++), stats[i], o.timeoutMs);
      }
    }),
  );
  return { stats, wallMs: performance.now() - started };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The server's process tree below `pid`'s own (next start and its workers), summed VmRSS, MB. */
export function treeRssMB(pid: number): number {
  let total = 0;
  for (const p of [pid, ...descendants(pid)]) total += processMemory(p)?.rssMB ?? 0;
  return total;
}

/** Samples treeRssMB every `everyMs` until stopped; keeps the peak and the last value. */
export function sampleRss(pid: number, everyMs = 250): { stop(): { peakMB: number; lastMB: number; samples: number } } {
  let peakMB = 0;
  let lastMB = 0;
  let samples = 0;
  const take = () => {
    lastMB = treeRssMB(pid);
    peakMB = Math.max(peakMB, lastMB);
    samples++;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakMB, lastMB, samples };
    },
  };
}
