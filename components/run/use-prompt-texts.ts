"use client";
import { useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { PromptTextStore } from "../../lib/view/prompt-text-store";

/**
 * One text store per run page and route (lib/view/prompt-text-store.ts): the texts of the rows
 * shown, fetched from `/api/runs/<name>/texts` (the prompts) or `/answers` (the dataset's
 * reference answers, "" for none). `paramsQuery` only names the scored run the page already
 * has on the server; the texts are the same for any parameters, so the cache stays.
 */
export function usePromptTextStore(name: string, paramsQuery: string, route: "texts" | "answers" = "texts"): PromptTextStore {
  const params = useRef(paramsQuery);
  params.current = paramsQuery;
  const store = useMemo(
    () =>
      new PromptTextStore(
        async (ordinals) => {
          const q = new URLSearchParams(params.current);
          q.set("ordinals", ordinals.join(","));
          const res = await fetch(`/api/runs/${encodeURIComponent(name)}/${route}?${q.toString()}`);
          if (!res.ok) throw new Error(`${route}: ${res.status}`);
          const body = (await res.json()) as { texts?: string[]; answers?: (string | null)[] };
          return route === "texts" ? body.texts! : body.answers!.map((a) => a ?? "");
        },
        route === "answers" ? { batch: 200, capacity: 2000 } : {},
      ),
    [name, route],
  );
  useEffect(() => () => store.dispose(), [store]);
  return store;
}

/** Re-renders the caller when texts arrive; returns the store's version. */
export function useTextsVersion(store: PromptTextStore): number {
  return useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
}
