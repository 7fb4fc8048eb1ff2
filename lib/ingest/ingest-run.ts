import { statSync } from "node:fs";
import { resolve } from "node:path";
import { writeRun } from "../db";
import { withStoredCounts } from "../runs/run-counts";
import { DEFAULT_RUN_OPTIONS, EMPTY_RUN_COUNTS, type NewRun, type RunRecord, type RunWriter, type SampleRecord } from "../db/types";
import { epochOfStep } from "../lim/epochs";
import { loggedSuccessNote } from "../lim/success-rule";
import { IngestError } from "./errors";
import type { IngestOptions } from "./ingest-options";
import { inferStepsPerEpoch } from "./infer-steps-per-epoch";
import type { StepFileListing } from "./formats/list-step-files";
import type { PackedStepBatch } from "./scan/pack-step-batch";
import { EpochExamplePicker, keepsExamplesIn, writePickedExamples, type PickedExamples } from "./pick-examples";
import type { IngestProgress } from "./progress-event";
import { checkJoinOptions, loadDataset, resolvePrompts, type LoadedDataset } from "./dataset/join-dataset";
import { defaultWorkers, recycleExampleBytes, startScanPool } from "./formats/read-openrlhf";
import { detectFormat } from "./formats/detect-format";
import { formatReader, type FormatReader } from "./formats/readers";
import { RunAggregator } from "./run-aggregator";
import type { ScanPool } from "./scan/scan-pool";

export type { IngestOptions } from "./ingest-options";

function checkOptions(o: IngestOptions): void {
  const bad = (what: string) => {
    throw new IngestError(what);
  };
  if (o.stepsPerEpoch !== undefined && !(Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch >= 1)) bad(`steps per epoch must be an integer >= 1, got ${o.stepsPerEpoch}`);
  if (o.keepExamples !== undefined && !(Number.isInteger(o.keepExamples) && o.keepExamples >= 0)) bad(`keep-examples must be an integer >= 0, got ${o.keepExamples}`);
  if (o.successReward !== undefined && !Number.isFinite(o.successReward)) bad(`success reward must be a finite number, got ${o.successReward}`);
  if (o.dataset) {
    let isFile = false;
    try {
      isFile = statSync(o.dataset.file).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) bad(`${o.dataset.file}: dataset file not found`);
  }
}

/**
 * Reads a run's reward logs into the database as one run, in one transaction: a bad file
 * anywhere (or a kill) leaves no run behind and nothing already stored changes.
 *
 * Memory stays bounded: step files are scanned (in worker threads) into per-prompt
 * aggregates, and kept examples are written as soon as they are decided, at the latest when
 * their epoch ends. Without stepsPerEpoch and with examples, the log is read twice: once to
 * infer the epoch length, once to pick examples per epoch.
 */
export async function ingestRun(o: IngestOptions): Promise<RunRecord> {
  checkOptions(o);
  const say = (m: string) => o.onMessage?.(m);
  let format = o.format ?? "auto";
  if (format === "auto") {
    const detected = detectFormat(o.path);
    format = detected.format;
    say(`format: ${format} (${detected.reason}); set it with --format`);
  }
  const reader = formatReader(format);
  const listing = reader.locate(o.path); // bad paths fail before the database is opened
  const started = performance.now();
  const warnings = [...listing.warnings];
  for (const w of warnings) say(`warning: ${w}`);
  for (const n of listing.notes) say(n);
  // Worker threads load while the database opens.
  const keep = o.keepExamples ?? 2;
  const workers = reader.scansInWorkers?.({ fields: o.fields }) ? Math.min(o.workers ?? defaultWorkers(keep), listing.files.length) : 0;
  const pool = startScanPool(workers, say);
  const successReward = o.successReward ?? 1;
  const header: NewRun = {
    name: o.name,
    format,
    kind: "rollouts",
    source: o.source ?? resolve(o.path),
    stepsPerEpoch: o.stepsPerEpoch ?? 1,
    successReward,
    promptField: o.dataset?.promptField ?? "prompt",
    keepExamples: keep,
    ...EMPTY_RUN_COUNTS,
    ...DEFAULT_RUN_OPTIONS,
    notes: [...listing.notes],
    successRule: reader.successRule,
    epochMode: o.epochMode ?? "steps",
    datasetFile: o.dataset ? resolve(o.dataset.file) : null,
    warnings,
  };
  // The first pass over the log starts now: workers scan while the database opens.
  const twoPasses = o.stepsPerEpoch === undefined && keep > 0;
  const firstPass = reader.read(listing.files, { successReward, keepExamples: twoPasses ? 0 : keep, pool, onMessage: say, fields: o.fields, examplesIn: examplesIn(o.stepsPerEpoch) })[Symbol.asyncIterator]();
  const firstBatch = firstPass.next();
  firstBatch.catch(() => {}); // awaited by fill; this only avoids an unhandled rejection if fill never gets there
  const ctx: Ctx = { o, header, reader, listing, pool, keep, successReward, started, say, firstPass: resume(firstPass, firstBatch) };
  try {
    return await withStoredCounts(await writeRun(header, (w) => fill(ctx, w, warnings), { replace: o.replace }));
  } finally {
    await firstPass.return?.();
    await (await pool)?.close();
  }
}

/** Steps in the epochs whose examples are kept, once the epoch length is known (readers skip candidates elsewhere). */
export function examplesIn(stepsPerEpoch: number | undefined | null): ((step: number) => boolean) | undefined {
  return stepsPerEpoch ? (step) => keepsExamplesIn(epochOfStep(step, stepsPerEpoch)) : undefined;
}

/** The batches of an iterator whose first next() was already called. */
async function* resume<T>(it: AsyncIterator<T>, first: Promise<IteratorResult<T>>): AsyncGenerator<T> {
  for (let r = await first; !r.done; r = await it.next()) yield r.value;
}

interface Ctx {
  o: IngestOptions;
  /** The run as first written (fill adds to its notes). */
  header: NewRun;
  reader: FormatReader;
  listing: StepFileListing;
  pool: Promise<ScanPool | null>;
  keep: number;
  successReward: number;
  started: number;
  say: (m: string) => void;
  /** The first pass's batches, already being scanned (see ingestRun). */
  firstPass: AsyncIterable<PackedStepBatch>;
}

async function fill(c: Ctx, w: RunWriter, warnings: string[]): Promise<Partial<NewRun>> {
  const { o, listing } = c;
  const progress = (p: Omit<IngestProgress, "elapsedMs">) => o.onProgress?.({ ...p, elapsedMs: performance.now() - c.started });
  checkJoinOptions(o);

  // The dataset is read after the log: while the log is read the heap then holds no
  // dataset index (a million rows' strings and objects), which every full garbage
  // collection of that phase used to walk. Keys become text only after both.
  let dataset: LoadedDataset | null = null;

  const notes: string[] = [];
  let stepsPerEpoch = o.stepsPerEpoch;
  let agg: RunAggregator;
  if (stepsPerEpoch === undefined && c.keep > 0) {
    // Examples are chosen per epoch, so the epoch length must be known before the pass that keeps them.
    agg = await readLog(c, "infer", 0, undefined, null, progress, c.firstPass);
    stepsPerEpoch = inferred(c, agg, notes);
    agg = await readLog(c, "read", c.keep, stepsPerEpoch, w, progress);
  } else agg = await readLog(c, "read", c.keep, stepsPerEpoch, w, progress, c.firstPass);
  if (stepsPerEpoch === undefined) stepsPerEpoch = inferred(c, agg, notes);

  // The log is read: the scan threads (a step file's buffer each) are not needed for the rest.
  await (await c.pool)?.close();

  const onDatasetBytes = (bytesDone: number, bytesTotal: number) => progress({ phase: "dataset", filesDone: 0, filesTotal: 1, bytesDone, bytesTotal, rollouts: 0 });
  // Keyed by text, the run's keys are the dataset's prompts too, mostly: the index refers to them.
  if (o.dataset) dataset = await loadDataset(o, w, onDatasetBytes, agg.keyedById ? undefined : agg.keyTable);

  // A logged success anywhere fixes the success reward for scoring (see StepBatchBuilder.add).
  if (agg.successField) {
    const m = loggedSuccessNote(agg.successField, c.successReward);
    if (agg.successField === o.fields?.success) notes.push(m); // the run's only record of a field the user named
    c.say(m);
  }
  const joined = resolvePrompts(agg, dataset, o, c.say);
  agg.releaseKeys(); // the samples' texts come from the resolution now
  progress({ phase: "write", filesDone: listing.files.length, filesTotal: listing.files.length, bytesDone: 0, bytesTotal: 0, rollouts: agg.rollouts });
  // Straight from the resolution: making each key a string again only to ignore it cost a
  // string and a dataset lookup per prompt.
  for (let from = 0; from < agg.size; from += 1000) {
    const batch: SampleRecord[] = [];
    for (let ordinal = from; ordinal < Math.min(from + 1000, agg.size); ordinal++) batch.push({ ordinal, prompt: joined.promptOf(ordinal), publishedScore: null, datasetRowIndex: joined.rows[ordinal] });
    await w.addSamples(batch);
  }

  return {
    stepsPerEpoch,
    sampleCount: agg.size,
    rolloutCount: agg.rollouts,
    stepCount: agg.steps,
    firstStep: agg.firstStep,
    lastStep: agg.lastStep,
    bytesRead: agg.bytes,
    datasetRowCount: dataset?.index.rows ?? 0,
    unmatchedPrompts: joined.unmatchedPrompts,
    unseenDatasetRows: joined.unseenDatasetRows,
    warnings,
    notes: [...c.header.notes, ...notes, ...joined.notes],
    successRule: agg.successField ? "logged" : c.reader.successRule,
    idField: joined.byId ? o.fields!.id! : null,
    datasetFormat: dataset?.info.format ?? null,
    datasetSchema: dataset?.info.schema ?? null,
  };
}

type Progress = (p: Omit<IngestProgress, "elapsedMs">) => void;

function inferred(c: Ctx, agg: RunAggregator, notes: string[]): number {
  const { stepsPerEpoch, median } = inferStepsPerEpoch(agg.size, agg.promptsPerStep);
  const m = `steps per epoch not given: inferred ${stepsPerEpoch} (${agg.size.toLocaleString("en-US")} distinct prompts / median ${median.toLocaleString("en-US")} prompts per step); set it with --steps-per-epoch`;
  if (!notes.includes(m)) notes.push(m);
  c.say(m);
  return stepsPerEpoch;
}

/** One pass over the log; with a writer and examples to keep, writes the examples as they are decided. */
async function readLog(
  c: Ctx,
  phase: "infer" | "read",
  keep: number,
  stepsPerEpoch: number | undefined,
  w: RunWriter | null,
  progress: Progress,
  started?: AsyncIterable<PackedStepBatch>,
): Promise<RunAggregator> {
  const { files, totalBytes } = c.listing;
  const agg = new RunAggregator();
  const picker = w && keep > 0 && stepsPerEpoch ? new EpochExamplePicker(keep) : null;
  const pool = await c.pool;
  // An epoch's held picks are final when it ends: its examples are written out in blocks then.
  const writeExamples = async (picked: PickedExamples | Iterable<PickedExamples>, epochEnded = false) => {
    await writePickedExamples(picked, w!);
    if (epochEnded) await w!.flushExamples();
  };

  progress({ phase, filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: totalBytes, rollouts: 0 });
  const batches = started ?? c.reader.read(files, { successReward: c.successReward, keepExamples: keep, pool: c.pool, onMessage: c.say, fields: c.o.fields, examplesIn: examplesIn(stepsPerEpoch) });
  // Files, not steps: a trainer writes a file per step, but JSONL/CSV rows carry many steps per file.
  const filesSeen = new Set<string>();
  for await (const batch of batches) {
    const block = agg.add(batch);
    if (w) await w.addStepBlocks([block]);
    filesSeen.add(batch.file);
    if (picker) {
      const epoch = epochOfStep(batch.step, stepsPerEpoch!);
      if (picker.endsEpoch(epoch)) await writeExamples(picker.flush(), true);
      if (keepsExamplesIn(epoch)) await writeExamples(picker.add(batch, epoch, agg.lastOrdinals));
    }
    // The step's raw example bytes are written or copied out, its keys numbered: hand their buffers back for reuse.
    const done = [batch.keys.bytes, batch.exampleBytes].filter((b) => b !== undefined && b.byteOffset === 0).map((b) => b!.buffer as ArrayBuffer);
    recycleExampleBytes(pool, done);
    progress({ phase, filesDone: Math.min(filesSeen.size, files.length), filesTotal: files.length, bytesDone: agg.bytes, bytesTotal: totalBytes, rollouts: agg.rollouts });
  }
  if (picker) await writeExamples(picker.flush(), true);
  return agg;
}
