import { resolve } from "node:path";
import { appendRun, writeRun } from "../../db";
import { withStoredCounts } from "../../runs/run-counts";
import { examplesIn } from "../ingest-run";
import { claimWatcher, releaseWatcher } from "../../db/watcher-marker";
import { DEFAULT_RUN_OPTIONS, EMPTY_RUN_COUNTS, type NewRun, type RunRecord } from "../../db/types";
import { IngestError } from "../errors";
import { inferStepsPerEpoch } from "../infer-steps-per-epoch";
import type { StepFile } from "../formats/list-step-files";
import type { PackedStepBatch } from "../scan/pack-step-batch";
import { loadDataset } from "../dataset/join-dataset";
import type { IngestProgress } from "../progress-event";
import { defaultWorkers, startScanPool } from "../formats/read-openrlhf";
import { formatReader, type FormatReader } from "../formats/readers";
import { RunAggregator } from "../run-aggregator";
import type { ScanPool } from "../scan/scan-pool";
import { gapWarnings, pause, StepFileSettler } from "./watch-files";
import { RunFollower } from "./watch-follower";
import { WatchJoin } from "./watch-join";
import { checkWatchOptions, isDirectory, WATCH_FILE_NAMES, type WatchOptions } from "./watch-options";

export type { WatchOptions } from "./watch-options";

/**
 * Follows a run while it trains: `lim ingest <dir> --name <run> --watch`. The run is created
 * (live) from the step files there at the start, then every new complete step file is
 * appended in a transaction of its own; a crash leaves the run as of the last append. When
 * the signal aborts, the append under way finishes, the examples held for the epoch in
 * progress are written, live turns false and the run is returned with everything read.
 *
 * A file is read only once settled (StepFileSettler) and, if it is the newest, once it
 * parses completely; a settled file that fails to parse while a newer one exists is an
 * error (the run stays as last appended, no longer live). Only steps after the run's last
 * step are appended: a file for an older step appearing late is a warning.
 */
export async function watchRun(o: WatchOptions): Promise<RunRecord> {
  const format = o.format ?? "openrlhf";
  const reader = formatReader(format);
  checkWatchOptions(o, format);
  const say = (m: string) => o.onMessage?.(m);
  const keep = o.keepExamples ?? 2;
  const w = new Watch(o, format, reader, keep, say, await startScanPool(reader.scansInWorkers?.({ fields: o.fields }) ? (o.workers ?? defaultWorkers(keep)) : 0, say));
  try {
    return await w.run();
  } finally {
    if (w.created) releaseWatcher(o.name);
    await w.pool?.close();
  }
}

class Watch {
  private readonly settler: StepFileSettler;
  private readonly successReward: number;
  private follower: RunFollower | null = null;
  private run_: RunRecord | null = null;
  /** The run this watch created (and marked as watched), once it is. */
  get created(): boolean {
    return this.run_ !== null;
  }
  /** Newest files that did not parse yet, by path@size: each is mentioned once. */
  private readonly unparsed = new Set<string>();
  private readonly started = performance.now();

  constructor(
    private readonly o: WatchOptions,
    private readonly format: string,
    private readonly reader: FormatReader,
    private readonly keep: number,
    private readonly say: (m: string) => void,
    readonly pool: ScanPool | null,
  ) {
    this.settler = new StepFileSettler(o.settleMs ?? 2000);
    this.successReward = o.successReward ?? 1;
  }

  async run(): Promise<RunRecord> {
    const { signal } = this.o;
    this.say(`watching ${resolve(this.o.path)} for ${WATCH_FILE_NAMES[this.format]} files (Ctrl-C stops and keeps everything read)`);
    try {
      while (!signal.aborted) {
        await this.step();
        await pause(this.o.pollMs ?? 1000, signal);
      }
    } catch (error) {
      // The run keeps every committed append; it is just no longer followed.
      if (this.run_) {
        await appendRun(this.o.name, async (_a, run) => {
          this.checkOurs(run);
          return { live: false };
        }).catch(() => {});
      }
      throw error;
    }
    if (!this.run_ || !this.follower) throw new IngestError(`${this.o.path}: stopped before any step file was complete; no run was written`, this.o.path);
    const follower = this.follower;
    // While live, the runs list scores the run when it grew; once stopped, its counts are stored.
    const run = await withStoredCounts(
      await appendRun(this.o.name, async (a, stored) => {
        this.checkOurs(stored);
        return { ...(await follower.finish(a)), live: false };
      }),
    );
    this.say(`stopped following "${run.name}": ${run.stepCount} steps, ${run.sampleCount.toLocaleString("en-US")} prompts kept`);
    return run;
  }

  /** One look at the directory, and an append if there is something complete to read. */
  private async step(): Promise<void> {
    const f = this.follower;
    const poll = this.settler.poll(this.list(), f?.lastStep ?? 0, (s) => f?.stepsRead.has(s) ?? false, performance.now());
    for (const late of poll.late) {
      const w = `${late.path}: step ${late.step} appeared after step ${f!.lastStep} was read and was not read (ingest the directory again with --replace to include it)`;
      f!.warnings.push(w);
      this.say(`warning: ${w}`);
    }
    let files = poll.ready;
    let newest: PackedStepBatch | null = null;
    if (poll.endsWithNewest) {
      newest = await this.probe(files.at(-1)!);
      if (!newest) files = files.slice(0, -1);
    }
    if (files.length === 0) return;
    const started = performance.now();
    const steps = files.map((x) => x.step);
    const gaps = gapWarnings(f?.lastStep ?? 0, files, WATCH_FILE_NAMES[this.format]);
    for (const g of gaps) this.say(`warning: ${g}`);
    // Readers see the run as live only while this process runs (lib/db/watcher-marker.ts): the
    // claim comes before the run's commit, so no reader sees it live without its marker.
    const claimed = !f && claimWatcher(this.o.name);
    let run: RunRecord;
    try {
      run = f ? await this.append(f, files, newest, gaps) : await this.create(files, newest, gaps);
    } catch (error) {
      if (claimed) releaseWatcher(this.o.name);
      throw error;
    }
    this.run_ = run;
    const ms = performance.now() - started;
    this.say(
      `${f ? "appended" : `created run "${run.name}" from`} ${steps.length === 1 ? `step ${steps[0]}` : `steps ${steps[0]}-${steps.at(-1)}`} in ${ms.toFixed(0)} ms: ` +
        `${run.stepCount} steps, ${run.sampleCount.toLocaleString("en-US")} prompts, ${run.rolloutCount.toLocaleString("en-US")} rollouts`,
    );
    this.o.onAppend?.(run, steps);
  }

  /** The step files present; none yet (an empty directory, no train/ yet) is not an error before the run exists. */
  private list(): StepFile[] {
    try {
      return this.reader.locate(this.o.path).files;
    } catch (error) {
      if (!this.follower && error instanceof IngestError && isDirectory(this.o.path)) return [];
      throw error;
    }
  }

  /** Reads the newest file alone; null while it does not parse completely (still being written). */
  private async probe(file: StepFile): Promise<PackedStepBatch | null> {
    try {
      let batch: PackedStepBatch | null = null;
      for await (const b of this.reader.read([file], this.readOptions(this.keep))) batch = b;
      return batch;
    } catch (error) {
      const key = `${file.path}@${file.bytes}`;
      if (!this.unparsed.has(key)) {
        this.unparsed.add(key);
        this.say(`${file.path} is not complete yet (${(error as Error).message}); waiting for the trainer to finish it`);
      }
      return null;
    }
  }

  private readOptions(keepExamples: number) {
    // Once the epoch length is fixed, steps outside the example epochs are read without candidates.
    const spe = this.follower?.stepsPerEpoch ?? this.o.stepsPerEpoch;
    return { successReward: this.successReward, keepExamples, pool: Promise.resolve(this.pool), onMessage: this.say, fields: this.o.fields, examplesIn: examplesIn(spe) };
  }

  /** The files' batches in step order; the newest one was already read by probe. */
  private async *batches(files: StepFile[], newest: PackedStepBatch | null): AsyncGenerator<PackedStepBatch> {
    const rest = newest ? files.slice(0, -1) : files;
    if (rest.length > 0) yield* this.reader.read(rest, this.readOptions(this.keep));
    if (newest) yield newest;
  }

  private async create(files: StepFile[], newest: PackedStepBatch | null, gaps: string[]): Promise<RunRecord> {
    const o = this.o;
    const notes: string[] = [];
    let stepsPerEpoch = o.stepsPerEpoch;
    // Examples are chosen per epoch, so the epoch length must be known before they are read.
    if (stepsPerEpoch === undefined && this.keep > 0) {
      const agg = new RunAggregator();
      for await (const b of this.reader.read(files, this.readOptions(0))) agg.add(b);
      stepsPerEpoch = this.inferred(agg.size, agg.promptsPerStep, files.length, notes);
    }
    const header: NewRun = {
      name: o.name,
      format: this.format,
      kind: "rollouts",
      source: o.source ?? resolve(o.path),
      stepsPerEpoch: stepsPerEpoch ?? 1,
      successReward: this.successReward,
      promptField: o.dataset?.promptField ?? "prompt",
      keepExamples: this.keep,
      ...EMPTY_RUN_COUNTS,
      ...DEFAULT_RUN_OPTIONS,
      successRule: this.reader.successRule,
      epochMode: o.epochMode ?? "steps",
      live: true,
      datasetFile: o.dataset ? resolve(o.dataset.file) : null,
      warnings: [],
      notes,
    };
    return writeRun(
      header,
      async (w) => {
        const onBytes = (bytesDone: number, bytesTotal: number) => this.progress({ phase: "dataset", filesDone: 0, filesTotal: 1, bytesDone, bytesTotal, rollouts: 0 });
        const dataset = o.dataset ? await loadDataset(o, w, onBytes) : null;
        const f = new RunFollower({
          stepsPerEpoch: stepsPerEpoch ?? null,
          keepExamples: this.keep,
          join: new WatchJoin(dataset, o, this.say),
          pool: this.pool,
          successRule: this.reader.successRule,
          successReward: this.successReward,
          namedSuccessField: o.fields?.success,
          say: this.say,
        });
        f.warnings.push(...gaps);
        f.notes.push(...notes);
        const totalBytes = files.reduce((n, x) => n + x.bytes, 0);
        await f.add(w, this.batches(files, newest), () =>
          this.progress({ phase: "read", filesDone: f.stepsRead.size, filesTotal: files.length, bytesDone: f.agg.bytes, bytesTotal: totalBytes, rollouts: f.agg.rollouts }),
        );
        if (stepsPerEpoch === undefined) stepsPerEpoch = this.inferred(f.agg.size, f.agg.promptsPerStep, files.length, f.notes);
        this.follower = f; // only once the run is written: a failed create leaves nothing to follow
        return { ...f.totals(), stepsPerEpoch };
      },
      { replace: o.replace },
    );
  }

  /** The stored run is the one this watch created (not replaced or deleted meanwhile). */
  private checkOurs(run: RunRecord): void {
    if (run.id !== this.run_?.id) throw new IngestError(`run "${run.name}" was replaced or deleted while it was being watched; stopped watching`);
  }

  private progress(p: Omit<IngestProgress, "elapsedMs">): void {
    this.o.onProgress?.({ ...p, elapsedMs: performance.now() - this.started });
  }

  private inferred(prompts: number, perStep: number[], files: number, notes: string[]): number {
    const { stepsPerEpoch, median } = inferStepsPerEpoch(prompts, perStep);
    const text =
      `steps per epoch not given: inferred ${stepsPerEpoch} from the ${files} step files present when watching started ` +
      `(${prompts.toLocaleString("en-US")} distinct prompts / median ${median.toLocaleString("en-US")} prompts per step); ` +
      `it stays fixed while watching (with less than one epoch logged, pass --steps-per-epoch)`;
    this.say(text);
    notes.push(text);
    return stepsPerEpoch;
  }

  private append(f: RunFollower, files: StepFile[], newest: PackedStepBatch | null, gaps: string[]): Promise<RunRecord> {
    return appendRun(this.o.name, async (a, run) => {
      this.checkOurs(run);
      if (run.lastStep !== f.lastStep) throw new IngestError(`run "${run.name}" changed outside this watch (last step ${run.lastStep}, expected ${f.lastStep}); stopped watching`);
      f.warnings.push(...gaps);
      return f.add(a, this.batches(files, newest));
    });
  }
}
