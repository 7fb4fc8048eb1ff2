"use client";
import { useEffect, useMemo, useState } from "react";
import { queryWords } from "../../lib/view/table-order";

export interface PromptSearch {
  /** 1 per prompt matching the last answered search; null when there is no search. */
  match: Uint8Array | null;
  /** A newer search is on its way (the previous result is still shown). */
  pending: boolean;
  error: string | null;
}

/**
 * The table's search, run on the server (`/api/runs/<name>/search`: the matching ordinals as
 * uint32): typing is debounced, the previous result stays in force while the next is in
 * flight, and a stale answer is dropped. `prompts` is the run's prompt count (a watched run
 * that grew is searched again).
 */
export function usePromptSearch(name: string, paramsQuery: string, query: string, prompts: number | null, debounceMs = 200): PromptSearch {
  const words = queryWords(query).join(" ");
  const [answer, setAnswer] = useState<{ words: string; hits: Uint32Array } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!words || prompts === null) return;
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      const q = new URLSearchParams(paramsQuery);
      q.set("q", words);
      fetch(`/api/runs/${encodeURIComponent(name)}/search?${q.toString()}`, { signal: ctrl.signal })
        .then(async (res) => {
          if (!res.ok) {
            const body = await res.json().catch(() => ({ error: res.statusText }));
            throw new Error(String(body.error ?? res.statusText));
          }
          const hits = new Uint32Array(await res.arrayBuffer());
          setAnswer({ words, hits });
          setError(null);
        })
        .catch((e: unknown) => {
          if ((e as Error).name !== "AbortError") setError(`Search failed: ${(e as Error).message}`);
        });
    }, debounceMs);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
    // paramsQuery only names the server's scored run: a re-score needs no new search.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name, words, prompts, debounceMs]);
  const match = useMemo(() => {
    if (!words || !answer || prompts === null) return null;
    const mask = new Uint8Array(prompts);
    for (let j = 0; j < answer.hits.length; j++) if (answer.hits[j] < prompts) mask[answer.hits[j]] = 1;
    return mask;
  }, [words, answer, prompts]);
  return { match, pending: !!words && answer?.words !== words && error === null, error };
}

/**
 * The prompt column's sort key from the server (`/api/runs/<name>/text-order`: a rank per
 * prompt as uint32), fetched the first time the table is sorted by prompt.
 */
export function useTextOrder(name: string, paramsQuery: string, needed: boolean, prompts: number | null): Uint32Array | null {
  const [rank, setRank] = useState<Uint32Array | null>(null);
  const fresh = rank !== null && rank.length === prompts;
  useEffect(() => {
    if (!needed || fresh || prompts === null) return;
    const ctrl = new AbortController();
    fetch(`/api/runs/${encodeURIComponent(name)}/text-order${paramsQuery ? `?${paramsQuery}` : ""}`, { signal: ctrl.signal })
      .then(async (res) => {
        if (!res.ok) return;
        setRank(new Uint32Array(await res.arrayBuffer()));
      })
      .catch(() => {});
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [name, needed, fresh, prompts]);
  return fresh ? rank : null;
}
