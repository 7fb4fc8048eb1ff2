"use client";
import { useEffect, useRef } from "react";
import { viewStateQuery, type ViewState } from "../../lib/view/view-state";

/**
 * Mirrors the view into the address bar with history.replaceState (no navigation, no server
 * round trip), a little after the last change so dragging the slider does not spam history.
 */
export function useUrlState(state: ViewState, delayMs = 150): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => {
      const next = `${window.location.pathname}${viewStateQuery(state)}`;
      if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
    }, delayMs);
    return () => clearTimeout(t);
  }, [state, delayMs]);
}
