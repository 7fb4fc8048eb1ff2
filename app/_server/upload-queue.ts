/**
 * Browser ingests, one at a time. An ingest child keeps both cores of a small machine busy;
 * sixty uploads at once started eight children and stalled every page for up to 24 s. So an
 * upload takes a ticket when it arrives (refused, 503, when 16 are already sending or waiting,
 * which also bounds the temporary files), and once its files are stored it waits its turn in
 * the order the uploads finished; the browser is told how many ingests are ahead of it.
 */

export interface QueueTicket {
  /**
   * Waits for this upload's turn. `onAhead` hears how many ingests are ahead whenever that
   * changes (never when none are). Resolves with the function that ends the turn; rejects when
   * `signal` aborts first, and the ticket has then left the queue.
   */
  turn(signal: AbortSignal, onAhead: (ahead: number) => void): Promise<() => void>;
  /** Leaves before waiting (the upload was refused, or its browser left while sending). */
  leave(): void;
}

interface Waiter {
  start: () => void;
  onAhead: (ahead: number) => void;
}

export class IngestQueue {
  /** Tickets given and not yet running: uploads still sending, and those waiting. */
  private held = 0;
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly maxWaiting = 16,
    readonly concurrency = 1,
  ) {}

  /** A ticket, or null when the queue is full. */
  admit(): QueueTicket | null {
    if (this.held >= this.maxWaiting) return null;
    this.held++;
    let state: "sending" | "waiting" | "done" = "sending";
    const leave = () => {
      if (state === "sending") this.held--;
      state = "done";
    };
    const turn = (signal: AbortSignal, onAhead: (ahead: number) => void) =>
      new Promise<() => void>((resolve, reject) => {
        if (state !== "sending") return reject(new Error("this ticket has already waited"));
        if (signal.aborted) {
          leave();
          return reject(signal.reason);
        }
        state = "waiting";
        const waiter: Waiter = {
          onAhead,
          start: () => {
            signal.removeEventListener("abort", abandon);
            state = "done";
            resolve(this.release());
          },
        };
        const abandon = () => {
          const at = this.waiting.indexOf(waiter);
          if (at < 0) return;
          this.waiting.splice(at, 1);
          this.held--;
          state = "done";
          this.tell(at);
          reject(signal.reason);
        };
        signal.addEventListener("abort", abandon, { once: true });
        this.waiting.push(waiter); // still held: a ticket counts until it runs
        this.pump();
        if (state === "waiting") onAhead(this.running + this.waiting.length - 1);
      });
    return { turn, leave };
  }

  /** How many run and how many hold a ticket without running. */
  get counts(): { running: number; held: number; waiting: number } {
    return { running: this.running, held: this.held, waiting: this.waiting.length };
  }

  private release(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.pump();
    };
  }

  private pump() {
    let started = 0;
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.held--;
      started++;
      next.start();
    }
    if (started > 0) this.tell(0);
  }

  /** Tells the waiters from index `from` on their new place. */
  private tell(from: number) {
    for (let i = from; i < this.waiting.length; i++) this.waiting[i].onAhead(this.running + i);
  }
}

const QUEUE = Symbol.for("lim-studio.ingest-queue");

/** The process's one queue: Next bundles each route separately, so it lives on globalThis. */
export function ingestQueue(): IngestQueue {
  return ((globalThis as { [QUEUE]?: IngestQueue })[QUEUE] ??= new IngestQueue());
}
