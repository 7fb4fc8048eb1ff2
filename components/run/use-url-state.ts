"use client";
import { useCallback, useEffect, useRef } from "react";
import { viewStateQuery, type ViewState } from "../../lib/view/view-state";

/**
 * Mirrors the view into the address bar with history.replaceState (no navigation, no server
 * round trip), a little after the last change so dragging the slider does not spam history.
 *
 * Next's router hears every replaceState as a "restore", and a restore discards a navigation
 * still in flight: a delayed write landing just after a click on a link (or Enter on a row)
 * would cancel that navigation and leave the page where it was. So a pending write is made at
 * once when a navigation starts: on any click (capture phase, before a Link's own handler) and
 * through the returned `flush`, which code calls before router.push.
 */
export function useUrlState(state: ViewState, delayMs = 150): () => void {
  const first = useRef(true);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flush = useCallback(() => {
    if (pending.current === null) return;
    clearTimeout(pending.current);
    pending.current = null;
    write(state);
  }, [state]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    pending.current = setTimeout(() => {
      pending.current = null;
      write(state);
    }, delayMs);
    return () => {
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [state, delayMs]);
  useEffect(() => {
    document.addEventListener("click", flush, true);
    return () => document.removeEventListener("click", flush, true);
  }, [flush]);
  return flush;
}

function write(state: ViewState): void {
  const next = `${window.location.pathname}${viewStateQuery(state)}`;
  if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
}
