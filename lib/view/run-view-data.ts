/**
 * The run page's data, shaped compactly for the browser: arrays per column rather than an
 * object per prompt, so 100k prompts travel and parse quickly and threshold changes stay in
 * the browser. Built on the server from lib/runs' ScoredRun; nothing here scores.
 */
import type { RunRecord } from "../db/types";
import { loggedSuccessField } from "../lim/success-rule";
import type { EpochMode, SuccessRule } from "../lim/types";
import type { ScoredRun } from "../runs/score-run";
import { epochBand } from "./prepare-average-curve";
import { packAccuracies } from "./packed-array";
import { promptSnippet } from "./prompt-text";

/** A run's stored facts as pages show them (the date as ISO text: it crosses the wire). */
export type RunInfo = Omit<RunRecord, "id" | "createdAt" | "counts"> & { createdAt: string };

export function toRunInfo(run: RunRecord): RunInfo {
  const { id: _id, createdAt, counts: _counts, ...facts } = run;
  return { ...facts, createdAt: new Date(createdAt).toISOString() };
}

export { EXCLUSION_CODES } from "../lim/types";

export interface RunViewData {
  run: RunInfo;
  params: {
    stepsPerEpoch: number;
    maxEpochs: number;
    successReward: number;
    epochMode: EpochMode;
    /** The run's success rule, and for "logged" the field the log gave success in (when ingest noted it). */
    successRule: SuccessRule;
    successField: string | null;
    /** Complete epochs (by visits: the visits 95% of prompts reached). */
    epochsInLog: number;
    /** By visits: the fewest and most visits of any prompt; null by steps. */
    visits: { fewest: number; usual: number; most: number } | null;
  };
  /** Epochs in the window (0 for runs made from published scores). */
  epochs: number;
  average: number[];
  /** 25th and 75th percentile of the kept prompts' (back-filled) accuracy per epoch. */
  q25: number[];
  q75: number[];
  /** Per prompt, in ordinal order. */
  texts: string[];
  scores: (number | null)[];
  /** EXCLUSION_CODES per prompt. */
  excl: number[];
  rollouts: number[];
  /** packAccuracies of the logged (not back-filled) accuracy, `epochs` values per prompt. */
  acc: string;
}

export function buildRunViewData(scored: ScoredRun, rollouts: readonly number[]): RunViewData {
  const K = scored.lim ? scored.params.maxEpochs : 0;
  const band = scored.lim ? epochBand(scored.lim) : { q25: [], q75: [] };
  return {
    run: toRunInfo(scored.run),
    params: {
      ...scored.params,
      maxEpochs: K,
      successRule: scored.run.successRule,
      successField: loggedSuccessField(scored.run),
      epochsInLog: scored.lim?.epochsInLog ?? 0,
      visits: scored.lim?.visits ?? null,
    },
    epochs: K,
    average: scored.lim?.average ?? [],
    q25: band.q25,
    q75: band.q75,
    texts: scored.prompts.map((p) => promptSnippet(p)),
    scores: scored.scores,
    excl: Array.from(scored.exclusion),
    rollouts: [...rollouts],
    acc: scored.lim ? packAccuracies(scored.lim.accuracy) : "",
  };
}
