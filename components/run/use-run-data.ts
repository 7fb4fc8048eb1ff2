"use client";
import { useEffect, useState } from "react";
import { buildRunModel, type RunModel } from "../../lib/view/run-model";
import { decodeRunView } from "../../lib/view/run-view-bytes";

export type RunDataState =
  | { status: "loading"; model: RunModel | null }
  | { status: "ready"; model: RunModel }
  | { status: "error"; model: RunModel | null; message: string; code: number };

/**
 * Fetches the run's view body (typed columns, no texts) for a set of scoring parameters.
 * While a new set is being scored the previous model stays on screen (the layout does not jump).
 */
export function useRunData(name: string, paramsQuery: string, attempt: number): RunDataState {
  const [state, setState] = useState<RunDataState>({ status: "loading", model: null });
  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ status: "loading", model: s.model }));
    const url = `/api/runs/${encodeURIComponent(name)}/view${paramsQuery ? `?${paramsQuery}` : ""}`;
    performance.mark("lim:view-fetch");
    fetch(url, { signal: ctrl.signal })
      .then(async (res) => {
        if (!res.ok) {
          const body = await res.json().catch(() => ({ error: res.statusText }));
          setState((s) => ({ status: "error", model: s.model, message: String(body.error ?? res.statusText), code: res.status }));
          return;
        }
        const bytes = await readBody(res);
        performance.mark("lim:view-received");
        const body = decodeRunView(bytes);
        performance.mark("lim:view-parsed");
        const model = buildRunModel(body);
        performance.mark("lim:model-built");
        if (!ctrl.signal.aborted) setState({ status: "ready", model });
      })
      .catch((e: unknown) => {
        if ((e as Error).name === "AbortError") return;
        setState((s) => ({ status: "error", model: s.model, message: `Could not reach the server: ${(e as Error).message}`, code: 0 }));
      });
    return () => ctrl.abort();
  }, [name, paramsQuery, attempt]);
  return state;
}

/**
 * The server gzips the body once per scored run (x-body-encoding: gzip; a route handler
 * cannot set Content-Encoding in Next), and the browser inflates it natively into one
 * ArrayBuffer the columns are views of. The performance marks feed `npm run bench:ui`'s
 * breakdown.
 */
async function readBody(res: Response): Promise<ArrayBuffer> {
  if (res.headers.get("x-body-encoding") !== "gzip" || !res.body) return res.arrayBuffer();
  return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}
