import type { ExampleColumns, RunWriter } from "../db/types";
import { IngestError } from "./errors";
import { isPlainLiteral, JsonSyntaxError, stringLiteral } from "./scan/json-bytes";
import type { PackedStepBatch } from "./scan/pack-step-batch";

/**
 * The epochs whose examples are kept: 1, 2, 4, 8, 16 and 32. Early epochs show the prompt
 * before the model learned it, later ones after; spacing them by powers of two bounds what a
 * prompt keeps (at most six epochs of examples, K each) whatever the epoch count, where
 * keeping every epoch stored every response of a run with two rollouts per prompt.
 */
export const EXAMPLE_EPOCHS = [1, 2, 4, 8, 16, 32] as const;

export function keepsExamplesIn(epoch: number): boolean {
  return (EXAMPLE_EPOCHS as readonly number[]).includes(epoch);
}

const HAS_SUCCESS = 1;
const HAS_FAILURE = 2;
/** The choice is final and was handed out; later rollouts this epoch are ignored. */
const DONE = 4;
/** Candidates of the prompt are held (its list in the pool is live). */
const HELD = 8;

/**
 * Picks as columns, the responses as JSON string literals back to back (UTF-8): what a run
 * writer stores (ExampleColumns). Reused by the picker: valid until its next add() or flush().
 */
export class PickedExamples implements ExampleColumns {
  length = 0;
  sampleOrdinal = new Uint32Array(256);
  step = new Float64Array(256);
  epoch = new Uint32Array(256);
  reward = new Float64Array(256);
  success = new Uint8Array(256);
  responseLength = new Float64Array(256);
  json = Buffer.allocUnsafeSlow(16 * 1024);
  jsonEnd = new Uint32Array(256);
  private used = 0;

  clear(): void {
    this.length = 0;
    this.used = 0;
  }

  /** Appends a pick whose response is `literal` (a checked JSON string literal) or, when absent, `response` as text. */
  push(ordinal: number, step: number, epoch: number, reward: number, success: boolean, responseLength: number, response: string | undefined, src: Uint8Array | undefined, start: number, end: number): void {
    const i = this.length++;
    if (i === this.sampleOrdinal.length) this.grow();
    this.sampleOrdinal[i] = ordinal;
    this.step[i] = step;
    this.epoch[i] = epoch;
    this.reward[i] = reward;
    this.success[i] = success ? 1 : 0;
    this.responseLength[i] = responseLength;
    if (src) {
      this.room(end - start);
      this.json.set(src.subarray(start, end), this.used);
      this.used += end - start;
    } else {
      const text = JSON.stringify(response);
      this.room(3 * text.length);
      this.used += this.json.write(text, this.used, "utf8");
    }
    this.jsonEnd[i] = this.used;
  }

  private room(n: number): void {
    if (this.used + n <= this.json.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.json.length, this.used + n));
    this.json.copy(grown, 0, 0, this.used);
    this.json = grown;
  }

  private grow(): void {
    const n = 2 * this.sampleOrdinal.length;
    this.sampleOrdinal = grown(this.sampleOrdinal, new Uint32Array(n));
    this.step = grown(this.step, new Float64Array(n));
    this.epoch = grown(this.epoch, new Uint32Array(n));
    this.reward = grown(this.reward, new Float64Array(n));
    this.success = grown(this.success, new Uint8Array(n));
    this.responseLength = grown(this.responseLength, new Float64Array(n));
    this.jsonEnd = grown(this.jsonEnd, new Uint32Array(n));
  }
}

/** One pick as an object (tests, tools): its response decoded. */
export interface PickedExample {
  ordinal: number;
  step: number;
  epoch: number;
  reward: number;
  success: boolean;
  responseLength: number;
  response: string;
}

export function pickedList(p: ExampleColumns): PickedExample[] {
  const out: PickedExample[] = [];
  const b = Buffer.from(p.json.buffer, p.json.byteOffset, p.json.byteLength);
  for (let i = 0; i < p.length; i++) {
    const response = JSON.parse(b.toString("utf8", i === 0 ? 0 : p.jsonEnd[i - 1], p.jsonEnd[i])) as string;
    out.push({ ordinal: p.sampleOrdinal[i], step: p.step[i], epoch: p.epoch[i], reward: p.reward[i], success: p.success[i] === 1, responseLength: p.responseLength[i], response });
  }
  return out;
}

/**
 * Chooses the examples kept per prompt and epoch: with room for two or more, the first
 * success and the first failure when both exist (the pair that explains a curve), filled up
 * to K with the next rollouts in log order; otherwise the first K.
 *
 * Candidates arrive in log order. A prompt's choice is handed out as soon as nothing later
 * can change it (with K = 2: once it has a success and a failure); prompts still waiting for
 * their other kind are held, their raw bytes copied into an arena reused epoch after epoch,
 * and handed out when the epoch ends.
 *
 * Nothing here is an object per prompt or per candidate: flags, list heads and counts are
 * typed arrays by ordinal, held candidates a pool of typed-array columns linked per prompt,
 * and the picks are columns whose responses are copied, checked, into one buffer. An object
 * per candidate (~6M at a million prompts, most of them alive to the epoch's end) made the
 * garbage collector the largest cost of a large ingest.
 *
 * Protocol: the PickedExamples returned by add() or flush() are reused by the next call (write
 * them first); if endsEpoch(e), flush() and write its picks before the next add().
 */
export class EpochExamplePicker {
  private epoch = 0;
  private flags = new Uint8Array(1024);
  private heldCount = new Uint32Array(1024);
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private touched = false;
  /** Ordinals in order of their first held candidate this epoch. */
  private order = new Uint32Array(1024);
  private orderLength = 0;
  private readonly pool = new CandidatePool();
  /** The epoch's file names (a held candidate names its file by position here). */
  private files: string[] = [];
  private arena = Buffer.allocUnsafeSlow(0);
  private used = 0;
  private readonly out = new PickedExamples();
  /** Pool entries made by the step being added (their bytes move to the arena if still held). */
  private here = new Int32Array(1024);

  /** @param partSize picks per part of flush() (tests make it small) */
  constructor(
    private readonly keep: number,
    private readonly partSize = 1 << 16,
  ) {}

  /** True when a step of `epoch` starts a new epoch while picks of the previous one are held. */
  endsEpoch(epoch: number): boolean {
    return epoch !== this.epoch && this.touched;
  }

  /**
   * Adds one step's candidates; returns the picks that became final with it. `ordinals[i]` is
   * the run ordinal of the batch's i-th prompt key (RunAggregator.lastOrdinals).
   */
  add(batch: PackedStepBatch, epoch: number, ordinals: ArrayLike<number>): PickedExamples {
    if (epoch !== this.epoch) {
      if (this.touched) throw new Error("EpochExamplePicker: flush() the previous epoch first");
      this.epoch = epoch;
    }
    const out = this.out;
    out.clear();
    const c = batch.candidates;
    if (this.keep <= 0 || c.length === 0) return out;
    this.touched = true;
    if (this.files.at(-1) !== batch.file) this.files.push(batch.file);
    const file = this.files.length - 1;
    const bytes = batch.exampleBytes;
    const pool = this.pool;
    const keep = this.keep;
    let hereCount = 0;
    for (let i = 0; i < c.length; i++) {
      const ordinal = ordinals[c.prompt[i]];
      const success = c.success[i] === 1;
      const f = this.flagsAt(ordinal);
      if (f & DONE) continue;
      const count = f & HELD ? this.heldCount[ordinal] : 0;
      const kind = success ? HAS_SUCCESS : HAS_FAILURE;
      if (!(count < keep || !(f & kind))) continue;
      const e = pool.take();
      pool.step[e] = batch.step;
      pool.file[e] = file;
      pool.index[e] = c.index[i];
      pool.reward[e] = c.reward[i];
      pool.success[e] = success ? 1 : 0;
      pool.responseLength[e] = c.responseLength[i];
      pool.start[e] = c.rawStart[i];
      pool.end[e] = c.rawEnd[i];
      pool.inArena[e] = 0;
      pool.next[e] = -1;
      pool.setResponse(e, c.response?.[i]);
      if (count === 0) {
        this.head[ordinal] = e;
        if (this.orderLength === this.order.length) this.order = grown(this.order, new Uint32Array(2 * this.order.length));
        this.order[this.orderLength++] = ordinal;
      } else pool.next[this.tail[ordinal]] = e;
      this.tail[ordinal] = e;
      this.heldCount[ordinal] = count + 1;
      if (hereCount === this.here.length) this.here = grown(this.here, new Int32Array(2 * this.here.length));
      this.here[hereCount++] = e;
      const now = f | kind | HELD;
      this.flags[ordinal] = now;
      // Final once the first K rollouts are in and, with K >= 2, both kinds are: every later
      // rollout comes after all of them in log order.
      if (keep === 1 || (now & HAS_SUCCESS && now & HAS_FAILURE && count + 1 >= keep)) {
        this.choose(ordinal, now, bytes);
        this.release(ordinal);
        this.flags[ordinal] = (now & ~HELD) | DONE;
      }
    }
    // What stays held outlives this step's buffer: move its bytes into the arena.
    for (let k = 0; k < hereCount; k++) {
      const e = this.here[k];
      if (pool.live[e] && !pool.inArena[e] && pool.response[e] === undefined) this.toArena(e, bytes!);
    }
    return out;
  }

  /**
   * The picks of prompts still waiting when the epoch ends, in parts of about `partSize`
   * picks, each reused by the next: write each before taking the next, and take them all.
   * In one part, a million-prompt epoch's picks (~2M) grew the picks' columns to ~140 MB
   * that stayed allocated for the rest of the log, the ingest's peak.
   */
  *flush(): Generator<PickedExamples> {
    const out = this.out;
    out.clear();
    for (let k = 0; k < this.orderLength; k++) {
      const ordinal = this.order[k];
      const f = this.flags[ordinal];
      if (f & HELD) this.choose(ordinal, f, undefined);
      if (out.length >= this.partSize) {
        yield out;
        out.clear();
      }
    }
    if (out.length > 0) yield out;
    this.flags.fill(0);
    this.orderLength = 0;
    this.pool.clear();
    this.files = [];
    this.used = 0;
    this.touched = false;
    return out;
  }

  private flagsAt(ordinal: number): number {
    if (ordinal >= this.flags.length) {
      const n = Math.max(ordinal + 1, 2 * this.flags.length);
      this.flags = grown(this.flags, new Uint8Array(n));
      this.heldCount = grown(this.heldCount, new Uint32Array(n));
      this.head = grown(this.head, new Int32Array(n));
      this.tail = grown(this.tail, new Int32Array(n));
    }
    return this.flags[ordinal];
  }

  /**
   * Hands out the choice among a prompt's held candidates (in log order), in log order: the
   * first K, or with K >= 2 and both kinds the first success, the first failure and the
   * next ones in log order up to K.
   */
  private choose(ordinal: number, flags: number, bytes: Uint8Array | undefined): void {
    const p = this.pool;
    const both = this.keep >= 2 && flags & HAS_SUCCESS && flags & HAS_FAILURE;
    let room = both ? this.keep - 2 : this.keep;
    let sawSuccess = false;
    let sawFailure = false;
    for (let e = this.head[ordinal]; e >= 0; e = p.next[e]) {
      let take: boolean;
      if (!both) take = room-- > 0;
      else {
        const s = p.success[e] === 1;
        if (s && !sawSuccess) take = sawSuccess = true;
        else if (!s && !sawFailure) take = sawFailure = true;
        else take = room > 0 && room-- > 0;
      }
      if (take) this.emit(ordinal, e, bytes);
    }
  }

  private emit(ordinal: number, e: number, bytes: Uint8Array | undefined): void {
    const p = this.pool;
    const response = p.response[e];
    if (response !== undefined) {
      this.out.push(ordinal, p.step[e], this.epoch, p.reward[e], p.success[e] === 1, p.responseLength[e], response, undefined, 0, 0);
      return;
    }
    const src = p.inArena[e] ? this.arena : bytes!;
    const start = p.start[e];
    const end = p.end[e];
    if (isPlainLiteral(src, start, end)) {
      this.out.push(ordinal, p.step[e], this.epoch, p.reward[e], p.success[e] === 1, p.responseLength[e], undefined, src, start, end);
      return;
    }
    // Anything else is what the scanner's rule for a kept literal makes of it, or its error.
    let text: string;
    const buf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
    try {
      text = stringLiteral(buf, start, end - 1);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      const file = this.files[p.file[e]];
      throw new IngestError(`${file}: element ${p.index[e]}: field "response": ${err.message}`, file, p.index[e], undefined, "response");
    }
    const lit = Buffer.from(text, "utf8");
    this.out.push(ordinal, p.step[e], this.epoch, p.reward[e], p.success[e] === 1, p.responseLength[e], undefined, lit, 0, lit.length);
  }

  /** Frees a prompt's held candidates. */
  private release(ordinal: number): void {
    const p = this.pool;
    for (let e = this.head[ordinal]; e >= 0; ) {
      const next = p.next[e];
      p.free(e);
      e = next;
    }
  }

  private toArena(e: number, bytes: Uint8Array): void {
    const p = this.pool;
    const start = p.start[e];
    const n = p.end[e] - start;
    if (this.used + n > this.arena.length) {
      const grownArena = Buffer.allocUnsafeSlow(Math.max(1 << 20, 2 * (this.used + n)));
      this.arena.copy(grownArena, 0, 0, this.used);
      this.arena = grownArena;
    }
    this.arena.set(bytes.subarray(start, start + n), this.used);
    p.start[e] = this.used;
    p.end[e] = this.used += n;
    p.inArena[e] = 1;
  }
}

/** Held candidates as columns; freed entries are reused. */
class CandidatePool {
  step = new Float64Array(1024);
  file = new Uint32Array(1024);
  index = new Uint32Array(1024);
  reward = new Float64Array(1024);
  success = new Uint8Array(1024);
  responseLength = new Float64Array(1024);
  start = new Uint32Array(1024);
  end = new Uint32Array(1024);
  inArena = new Uint8Array(1024);
  live = new Uint8Array(1024);
  next = new Int32Array(1024);
  /** Decoded responses of simple readers' candidates, by entry (sparse). */
  response: (string | undefined)[] = [];
  private size = 0;
  private freed = new Int32Array(1024);
  private freedCount = 0;

  take(): number {
    const e = this.freedCount > 0 ? this.freed[--this.freedCount] : this.size++;
    if (e === this.step.length) this.grow();
    this.live[e] = 1;
    return e;
  }

  setResponse(e: number, response: string | undefined): void {
    if (response !== undefined || this.response[e] !== undefined) this.response[e] = response;
  }

  free(e: number): void {
    this.live[e] = 0;
    if (this.response[e] !== undefined) this.response[e] = undefined;
    if (this.freedCount === this.freed.length) this.freed = grown(this.freed, new Int32Array(2 * this.freed.length));
    this.freed[this.freedCount++] = e;
  }

  clear(): void {
    this.live.fill(0, 0, this.size);
    this.size = 0;
    this.freedCount = 0;
    this.response = [];
  }

  private grow(): void {
    const n = 2 * this.step.length;
    this.step = grown(this.step, new Float64Array(n));
    this.file = grown(this.file, new Uint32Array(n));
    this.index = grown(this.index, new Uint32Array(n));
    this.reward = grown(this.reward, new Float64Array(n));
    this.success = grown(this.success, new Uint8Array(n));
    this.responseLength = grown(this.responseLength, new Float64Array(n));
    this.start = grown(this.start, new Uint32Array(n));
    this.end = grown(this.end, new Uint32Array(n));
    this.inArena = grown(this.inArena, new Uint8Array(n));
    this.live = grown(this.live, new Uint8Array(n));
    this.next = grown(this.next, new Int32Array(n));
  }
}

function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Writes picks (as the run writer's columns): add()'s, or flush()'s parts one after the other. */
export async function writePickedExamples(picked: PickedExamples | Iterable<PickedExamples>, w: Pick<RunWriter, "addExampleColumns">): Promise<void> {
  for (const part of picked instanceof PickedExamples ? [picked] : picked) if (part.length > 0) await w.addExampleColumns(part);
}
