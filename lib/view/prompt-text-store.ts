/**
 * The run page's prompt texts, fetched for the rows on screen (the run view body holds none:
 * a million prompts are ~200 MB of text). Each part of the page says which ordinals it wants
 * now (`want(channel, ordinals)`: the table its visible rows and some overscan, the panel its
 * prompt); the store asks the server for the ones it has neither cached nor in flight, in one
 * request per short burst of wants, and keeps a bounded cache (least recently wanted go
 * first). Listeners hear when texts arrive. No React here; the fetch is injected (tests).
 */

export type FetchTexts = (ordinals: number[]) => Promise<string[]>;

export interface PromptTextStoreOptions {
  /** Texts kept at most (default 5,000: many screens of rows, well under a megabyte). */
  capacity?: number;
  /** ms to gather wants into one request (default 30: a scroll's frames share a request). */
  delayMs?: number;
  /** Ordinals per request at most (the texts route takes 2,000). */
  batch?: number;
  /** After a failed request, ms before asking again (default 1,000). */
  retryMs?: number;
}

export class PromptTextStore {
  private readonly texts = new Map<number, string>();
  private readonly inflight = new Set<number>();
  private readonly wanted = new Map<string, readonly number[]>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private readonly capacity: number;
  private readonly delayMs: number;
  private readonly batch: number;
  private readonly retryMs: number;
  /** Bumped whenever texts arrive (useSyncExternalStore's snapshot). */
  version = 0;

  constructor(
    private readonly fetchTexts: FetchTexts,
    o: PromptTextStoreOptions = {},
  ) {
    this.capacity = o.capacity ?? 5000;
    this.delayMs = o.delayMs ?? 30;
    this.batch = o.batch ?? 2000;
    this.retryMs = o.retryMs ?? 1000;
  }

  get(ordinal: number): string | undefined {
    return this.texts.get(ordinal);
  }

  get size(): number {
    return this.texts.size;
  }

  /** What a part of the page shows now; replaces that channel's previous want. */
  want(channel: string, ordinals: readonly number[]): void {
    this.wanted.set(channel, ordinals);
    // Wanted texts become the most recent, so eviction takes ones no longer on screen.
    for (const o of ordinals) {
      const t = this.texts.get(o);
      if (t !== undefined) {
        this.texts.delete(o);
        this.texts.set(o, t);
      }
    }
    if (this.missing().length > 0) this.schedule(this.delayMs);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Drops the wants and the request not yet sent (the page is going away); texts stay cached. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted.clear();
  }

  private missing(): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    for (const list of this.wanted.values()) {
      for (const o of list) {
        if (seen.has(o) || this.texts.has(o) || this.inflight.has(o)) continue;
        seen.add(o);
        out.push(o);
      }
    }
    return out;
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  private flush(): void {
    const missing = this.missing();
    for (let i = 0; i < missing.length; i += this.batch) {
      const part = missing.slice(i, i + this.batch);
      for (const o of part) this.inflight.add(o);
      this.fetchTexts(part).then(
        (texts) => {
          for (let j = 0; j < part.length; j++) {
            this.inflight.delete(part[j]);
            if (typeof texts[j] === "string") this.texts.set(part[j], texts[j]);
          }
          this.failures = 0;
          this.evict();
          this.version++;
          for (const l of this.listeners) l();
        },
        () => {
          for (const o of part) this.inflight.delete(o);
          // Ask again a little later (at most a few times in a row), for what is still wanted.
          if (++this.failures <= 3) this.schedule(this.retryMs * this.failures);
        },
      );
    }
  }

  private evict(): void {
    if (this.texts.size <= this.capacity) return;
    const keep = new Set<number>();
    for (const list of this.wanted.values()) for (const o of list) keep.add(o);
    for (const o of this.texts.keys()) {
      if (this.texts.size <= this.capacity) break;
      if (!keep.has(o)) this.texts.delete(o);
    }
  }
}
