"use client";
import { useEffect, useState } from "react";
import { buildRunModel, type RunModel } from "../../lib/view/run-model";
import type { RunViewData } from "../../lib/view/run-view-data";

export type RunDataState =
  | { status: "loading"; model: RunModel | null }
  | { status: "ready"; model: RunModel }
  | { status: "error"; model: RunModel | null; message: string; code: number };

/**
 * Fetches the run's compact view data for a set of scoring parameters. While a new set is
 * being scored the previous model stays on screen (the layout does not jump).
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
        const data = (await readJsonBody(res)) as RunViewData;
        performance.mark("lim:view-parsed");
        const model = buildRunModel(data);
        performance.mark("lim:model-built");
        setState({ status: "ready", model });
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
 * The server sends the run's data gzipped once per scored run (x-body-encoding: gzip; a
 * route handler cannot set Content-Encoding in Next), and the browser inflates it natively:
 * 100k prompts are ~2 MB on the wire instead of ~13 MB. The performance marks feed
 * `npm run bench:ui`'s breakdown.
 */
async function readJsonBody(res: Response): Promise<unknown> {
  if (res.headers.get("x-body-encoding") !== "gzip" || !res.body) return res.json();
  const text = await new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
  performance.mark("lim:view-received");
  return JSON.parse(text);
}
