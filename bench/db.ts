/**
 * Storage figures at LIMR scale: `npm run bench:db` (prints JSON lines).
 * Writes into a temp SQLite file: migrate (fresh and reopen), one ingest-sized writeRun
 * (8,523 samples, 8,523 dataset rows, 358k examples of ~1.5 KB), loadSamples for 8.5k and
 * 100k samples, the detail reads, and deleting the big run.
 */
import { blocksFromPrompts, type StepBlock } from "../lib/lim/run-columns";
import type { StepAggregate } from "../lib/lim/types";
import { databaseUrl } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { deleteRun, getDatasetRows, getExamples, loadRunColumns, loadSamples, writeRun } from "../lib/db/index";
import { useTempDatabase } from "../lib/db/test-db";
import { DEFAULT_RUN_OPTIONS, type ExampleRecord, type NewRun, type SampleRecord } from "../lib/db/types";

const PROMPTS = Number(process.env.PROMPTS ?? 8523);
const EPOCHS = 21;
const STEPS_PER_EPOCH = 8;
const KEEP = 2;
const RESPONSE = 1500;

function seeded(seed: number) {
  return () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rand = seeded(42);
// One flat text to slice responses from: slices bind without V8 flattening ropes first.
const corpus = Array.from({ length: 40_000 }, () => Math.floor(rand() * 1e9).toString(36)).join(" ");
const text = (n: number) => {
  const at = Math.floor(rand() * (corpus.length - n));
  return corpus.slice(at, at + n);
};

function newRun(name: string, sampleCount: number): NewRun {
  return {
    name, format: "openrlhf", kind: "rollouts", source: "bench", stepsPerEpoch: STEPS_PER_EPOCH,
    successReward: 1, promptField: "prompt", keepExamples: KEEP, sampleCount, rolloutCount: 0,
    stepCount: EPOCHS * STEPS_PER_EPOCH, firstStep: 1, lastStep: EPOCHS * STEPS_PER_EPOCH,
    bytesRead: 0, datasetFile: null, datasetRowCount: 0, unmatchedPrompts: 0, unseenDatasetRows: 0, warnings: [], ...DEFAULT_RUN_OPTIONS,
  };
}

function sample(ordinal: number): SampleRecord {
  return { ordinal, prompt: `Problem ${ordinal}: ${text(300)}`, publishedScore: null, datasetRowIndex: ordinal };
}

/** A prompt's aggregates: one step per epoch, 8 rollouts, rewards 0 and 1. */
function trajectory(ordinal: number): StepAggregate[] {
  const steps: StepAggregate[] = [];
  for (let e = 0; e < EPOCHS; e++) {
    const wins = Math.floor(rand() * 9);
    steps.push({
      step: e * STEPS_PER_EPOCH + 1 + (ordinal % STEPS_PER_EPOCH),
      rollouts: 8, rewardSum: wins, responseLengthSum: 8 * 400,
      rewards: [{ reward: 0, count: 8 - wins }, { reward: 1, count: wins }],
    });
  }
  return steps;
}

/** The step blocks of prompts [from, to). */
function blocks(from: number, to: number): StepBlock[] {
  const perPrompt: StepAggregate[][] = [];
  for (let o = 0; o < to; o++) perPrompt.push(o < from ? [] : trajectory(o));
  return blocksFromPrompts(perPrompt);
}

async function time<T>(label: string, fn: () => Promise<T>, extra: (r: T, ms: number) => object = () => ({})): Promise<T> {
  const t = performance.now();
  const result = await fn();
  const ms = performance.now() - t;
  console.log(JSON.stringify({ label, ms: Math.round(ms), ...extra(result, ms) }));
  return result;
}

const db = await useTempDatabase();
try {
  await time("migrate fresh file (WASM engine)", () => migrateDatabase(databaseUrl()));
  await time("migrate reopen (cheap check)", () => migrateDatabase(databaseUrl()));

  let exampleBytes = 0;
  let exampleCount = 0;
  const phases = { datasetMs: 0, examplesMs: 0, samplesMs: 0, fillEnd: 0 };
  const timed = async (key: "datasetMs" | "examplesMs" | "samplesMs", fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    phases[key] += performance.now() - t;
  };
  const big = await time("writeRun LIMR scale", () =>
    writeRun(newRun("limr", PROMPTS), async (raw) => {
      const w = {
        addDatasetRows: (r: Parameters<typeof raw.addDatasetRows>[0]) => timed("datasetMs", () => raw.addDatasetRows(r)),
        addExamples: (r: ExampleRecord[]) => timed("examplesMs", () => raw.addExamples(r)),
        addSamples: (r: SampleRecord[]) => timed("samplesMs", () => raw.addSamples(r)),
        addStepBlocks: (b: StepBlock[]) => timed("samplesMs", () => raw.addStepBlocks(b)),
        flushExamples: () => timed("examplesMs", () => raw.flushExamples()),
      };
      const rows = Array.from({ length: PROMPTS }, (_, i) => ({ rowIndex: i, prompt: `Problem ${i}`, json: JSON.stringify({ prompt: `Problem ${i}`, answer: text(200) }) }));
      await w.addDatasetRows(rows);
      // As ingest does: examples flushed per epoch, samples at the end.
      for (let e = 1; e <= EPOCHS; e++) {
        const batch: ExampleRecord[] = [];
        for (let o = 0; o < PROMPTS; o++) {
          for (let k = 0; k < KEEP; k++) {
            const response = text(RESPONSE);
            exampleBytes += response.length;
            batch.push({ sampleOrdinal: o, step: e * STEPS_PER_EPOCH, epoch: e, reward: k, success: k === 1, responseLength: 400, response });
          }
        }
        exampleCount += batch.length;
        await w.addExamples(batch);
        await w.flushExamples();
      }
      const samples: SampleRecord[] = [];
      for (let o = 0; o < PROMPTS; o++) samples.push(sample(o));
      await w.addSamples(samples);
      await w.addStepBlocks(blocks(0, PROMPTS));
      phases.fillEnd = performance.now();
    }),
    (_r, ms) => ({
      datasetMs: Math.round(phases.datasetMs), examplesMs: Math.round(phases.examplesMs), samplesMs: Math.round(phases.samplesMs),
      commitMs: Math.round(performance.now() - phases.fillEnd), examples: exampleCount, exampleMB: +(exampleBytes / 1e6).toFixed(0), exampleMBps: +((exampleBytes / 1e6) / (ms / 1000)).toFixed(0), examplesPerSec: Math.round(exampleCount / (ms / 1000)) }),
  );

  for (let i = 0; i < 3; i++) await time(`loadSamples ${PROMPTS}`, () => loadSamples(big.id), (r) => ({ rows: r.length }));
  for (let i = 0; i < 3; i++) await time(`loadRunColumns ${PROMPTS}`, () => loadRunColumns(big.id, PROMPTS), (r) => ({ records: r.ordinal.length }));
  await time("getExamples (one sample)", () => getExamples(big.id, 4000), (r) => ({ rows: r.length }));
  await time("getDatasetRows (one prompt)", () => getDatasetRows(big.id, "Problem 4000"), (r) => ({ rows: r.length }));

  const many = 100_000;
  const wide = await time(`writeRun ${many} samples`, () =>
    writeRun(newRun("wide", many), async (w) => {
      for (let start = 0; start < many; start += 5000) {
        await w.addSamples(Array.from({ length: 5000 }, (_, i) => sample(start + i)));
      }
      await w.addStepBlocks(blocks(0, many));
    }),
  );
  for (let i = 0; i < 3; i++) await time(`loadSamples ${many}`, () => loadSamples(wide.id), (r) => ({ rows: r.length }));
  for (let i = 0; i < 3; i++) await time(`loadRunColumns ${many}`, () => loadRunColumns(wide.id, many), (r) => ({ records: r.ordinal.length }));
  await time("deleteRun LIMR scale", () => deleteRun("limr"));
} finally {
  await db.cleanup();
}
