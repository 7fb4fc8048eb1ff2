"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Keeps a run page current while `lim ingest --watch` appends to the run: every couple of
 * seconds it asks for the run's version (a few bytes, /api/runs/<name>/version) and, when the
 * run changed, calls onChange (the page refetches its scored data) and refreshes the server
 * props (the header's counts). New epochs appear without a reload, and nothing the user set
 * (threshold, filter, open prompt) is lost. It stops asking once the watch has stopped.
 */
export function LiveRefresh({ name, live, updatedAt, onChange, intervalMs = 2000 }: { name: string; live: boolean; updatedAt: string; onChange: () => void; intervalMs?: number }) {
  const router = useRouter();
  const seen = useRef(updatedAt);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!live) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      // A hidden tab asks nothing; it catches up on its first look after it is shown again.
      if (!document.hidden) {
        try {
          const res = await fetch(`/api/runs/${encodeURIComponent(name)}/version`, { cache: "no-store" });
          if (res.status === 404) return; // the run was deleted: nothing left to follow
          if (res.ok) {
            const v = (await res.json()) as { live: boolean; updatedAt: string };
            if (stopped) return;
            const grew = v.updatedAt !== seen.current;
            seen.current = v.updatedAt;
            if (grew) changed.current();
            if (grew || !v.live) router.refresh(); // !live: the refreshed props stop this effect
            if (!v.live) return;
          }
        } catch {
          // The server is restarting or the network blinked: ask again next time.
        }
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [live, name, intervalMs, router]);

  return null;
}
