import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb } from "./connection";
import { DEFAULT_RUN_OPTIONS, EMPTY_RUN_COUNTS, type NewRun } from "./types";

export interface TempDatabase {
  url: string;
  file: string;
  /** Closes the connection and deletes the file. */
  cleanup(): Promise<void>;
}

/**
 * Points this process (and children that inherit process.env) at a new, empty SQLite file
 * under the OS temp dir. Migrations run on first use, as in production.
 */
export async function useTempDatabase(): Promise<TempDatabase> {
  await closeDb();
  const dir = mkdtempSync(path.join(os.tmpdir(), "lim-db-"));
  const file = path.join(dir, "lim.db");
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  return {
    url,
    file,
    async cleanup() {
      await closeDb();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A run header for tests; counts are whatever fill reports. */
export function testRun(name: string, overrides: Partial<NewRun> = {}): NewRun {
  return {
    name,
    format: "openrlhf",
    kind: "rollouts",
    source: `/runs/${name}/train`,
    stepsPerEpoch: 8,
    successReward: 1,
    promptField: "prompt",
    keepExamples: 2,
    ...EMPTY_RUN_COUNTS,
    ...DEFAULT_RUN_OPTIONS,
    datasetFile: null,
    warnings: [],
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers in [0, 1) (tests never use Math.random). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
