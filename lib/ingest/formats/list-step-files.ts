import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { IngestError, statGiven } from "../errors";

export interface StepFile {
  step: number;
  path: string;
  bytes: number;
}

export interface StepFileListing {
  /** The directory the step files are in (the given one, or its train/). */
  dir: string;
  files: StepFile[];
  totalBytes: number;
  warnings: string[];
  /** What the user should know about the log that is not a problem (TRL's sparse logging, ...). */
  notes: string[];
}

/** How a format names its step files: a pattern whose first group is the step, and how to say it. */
export interface StepFileLayout {
  pattern: RegExp;
  /** For messages, e.g. "step_N.json". */
  name: string;
  /** Folders of the given directory to look in when it holds no step files itself (default: train). */
  subdirs?: string[];
}

const OPENRLHF: StepFileLayout = { pattern: /^step_(\d+)\.json$/, name: "step_N.json" };

function stepFilesIn(dir: string, layout: StepFileLayout): StepFile[] {
  const out: StepFile[] = [];
  // step_-1.json: a negative step, refused rather than skipped without a word.
  const negative = new RegExp(layout.pattern.source.replace("(\\d+)", "-\\d+"), layout.pattern.flags);
  for (const name of readdirSync(dir)) {
    const m = layout.pattern.exec(name);
    if (!m) {
      if (negative.test(name)) throw new IngestError(`${join(dir, name)}: step numbers start at 1, found a negative step (epoch k holds steps (k-1)*S+1 .. k*S)`, join(dir, name));
      continue;
    }
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile()) out.push({ step: Number(m[1]), path, bytes: st.size });
  }
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The step files of a run: in `path`, or in one of its layout's subfolders (OpenRLHF's train/),
 * in step order. Gaps in the step numbers are warnings, not errors: a crashed-and-resumed run
 * has them and its other steps are still worth scoring.
 */
export function listStepFiles(path: string, layout: StepFileLayout = OPENRLHF): StepFileListing {
  const N = layout.name;
  const root = resolve(path);
  const st = statGiven(path, root);
  const subdirs = layout.subdirs ?? ["train"];
  const inside = subdirs.map((d) => `${d}/`).join(" or ");
  if (!st.isDirectory()) throw new IngestError(`${path}: expected a directory of ${N} files (or one holding ${inside})`, path);
  let dir = root;
  let files = stepFilesIn(root, layout);
  for (const sub of subdirs) {
    if (files.length > 0) break;
    const d = join(root, sub);
    if (isDirectory(d)) {
      dir = d;
      files = stepFilesIn(d, layout);
    }
  }
  if (files.length === 0) {
    throw new IngestError(`${path}: no ${N} files found (looked in ${[root, ...subdirs.map((d) => join(root, d))].join(", ")})`, path);
  }
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (f.step < 1) throw new IngestError(`${f.path}: step numbers start at 1 (epoch k holds steps (k-1)*S+1 .. k*S)`, f.path);
    if (i > 0 && files[i - 1].step === f.step) {
      throw new IngestError(`${f.path}: step ${f.step} appears twice (also ${files[i - 1].path})`, f.path);
    }
  }
  checkStepGaps(files);
  return { dir, files, totalBytes: files.reduce((s, f) => s + f.bytes, 0), warnings: gapWarnings(files.map((f) => f.step), N), notes: [] };
}

/** Missing steps beyond both of these in one gap mean a stray or misnamed file, not a gap in logging. */
const ABSURD_GAP = 10_000;
const ABSURD_GAP_PER_FILE = 100;

/**
 * Refuses a gap no trainer leaves (step_1000000000.json beside steps 1-4): every curve would
 * be sized by it. Sparse logging (every 10th step, say) stays far below the bound.
 */
export function checkStepGaps(files: readonly StepFile[]): void {
  const bound = Math.max(ABSURD_GAP, ABSURD_GAP_PER_FILE * files.length);
  for (let i = 0; i < files.length; i++) {
    const prev = i === 0 ? 0 : files[i - 1].step;
    const missing = files[i].step - prev - 1;
    if (missing > bound) {
      throw new IngestError(
        `${files[i].path}: step ${files[i].step.toLocaleString("en-US")} comes after ${i === 0 ? "the start" : `step ${prev.toLocaleString("en-US")}`} with ${missing.toLocaleString("en-US")} steps missing, ` +
          `more than ${ABSURD_GAP_PER_FILE} times the ${files.length} step files here: a stray or misnamed file? Move it out to ingest the rest`,
        files[i].path,
      );
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** One warning per run of missing step numbers between 1 and the last step. */
export function gapWarnings(steps: readonly number[], name: string, every = 1): string[] {
  const warnings: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const prev = i === 0 ? 0 : steps[i - 1];
    const step = steps[i];
    if (step - prev <= every) continue;
    // The steps that should be there: prev + every, prev + 2 * every, ... below `step`.
    const first = prev + every;
    const last = prev + every * Math.floor((step - prev - 1) / every);
    const missing =
      first === last ? `step ${first} is` : every === 1 ? `steps ${first}-${last} are` : last === first + every ? `steps ${first} and ${last} are` : `steps ${first}, ${first + every}, ..., ${last} are`;
    warnings.push(`${missing} missing (no ${name} between ${i === 0 ? "the start" : `step ${prev}`} and step ${step}); prompts trained there count as absent`);
  }
  return warnings;
}
