import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { IngestError } from "./errors";

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
}

/** How a format names its step files: a pattern whose first group is the step, and how to say it. */
export interface StepFileLayout {
  pattern: RegExp;
  /** For messages, e.g. "step_N.json". */
  name: string;
}

const OPENRLHF: StepFileLayout = { pattern: /^step_(\d+)\.json$/, name: "step_N.json" };

function stepFilesIn(dir: string, layout: StepFileLayout): StepFile[] {
  const out: StepFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = layout.pattern.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile()) out.push({ step: Number(m[1]), path, bytes: st.size });
  }
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The step_N.json files of a run: in `path`, or in `path`/train (the OpenRLHF layout), in
 * step order. Gaps in the step numbers are warnings, not errors: a crashed-and-resumed run
 * has them and its other steps are still worth scoring.
 */
export function listStepFiles(path: string, layout: StepFileLayout = OPENRLHF): StepFileListing {
  const N = layout.name;
  const root = resolve(path);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new IngestError(`${path}: no such file or directory`, path);
  }
  if (!st.isDirectory()) throw new IngestError(`${path}: expected a directory of ${N} files (or one holding train/)`, path);
  let dir = root;
  let files = stepFilesIn(root, layout);
  if (files.length === 0) {
    const train = join(root, "train");
    let hasTrain = false;
    try {
      hasTrain = statSync(train).isDirectory();
    } catch {
      hasTrain = false;
    }
    if (hasTrain) {
      dir = train;
      files = stepFilesIn(train, layout);
    }
  }
  if (files.length === 0) {
    throw new IngestError(`${path}: no ${N} files found (looked in ${root} and ${join(root, "train")})`, path);
  }
  const warnings: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (f.step < 1) throw new IngestError(`${f.path}: step numbers start at 1 (epoch k holds steps (k-1)*S+1 .. k*S)`, f.path);
    if (i > 0 && files[i - 1].step === f.step) {
      throw new IngestError(`${f.path}: step ${f.step} appears twice (also ${files[i - 1].path})`, f.path);
    }
    const prev = i === 0 ? 0 : files[i - 1].step;
    if (f.step > prev + 1) {
      const missing = f.step - prev - 1;
      const range = missing === 1 ? `step ${prev + 1} is` : `steps ${prev + 1}-${f.step - 1} are`;
      warnings.push(`${range} missing (no ${N} between ${i === 0 ? "the start" : `step ${prev}`} and step ${f.step}); prompts trained there count as absent`);
    }
  }
  return { dir, files, totalBytes: files.reduce((s, f) => s + f.bytes, 0), warnings };
}
