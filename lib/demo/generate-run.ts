import { BufferedFile } from "./buffered-file";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { makeCurve, pickArchetype, type Archetype, type PromptCurve } from "./archetypes";
import { jsonAscii, mathAnswer, mathResponse } from "./math-text";
import { mulberry32, randInt, type Rng } from "./prng";
import { distinctQuestions, rolloutKind, trainingSteps } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic OpenRLHF run: DIR/train/step_N.json (JSON arrays of
 * {prompt, response, reward, response_length}, indent 4, as the LIMR logs) and
 * DIR/dataset.json ([{id, prompt, answer, source}], as math.8k.json). Each epoch trains on a
 * shuffled subset of promptsPerStep * stepsPerEpoch prompts, so some prompts miss some epochs,
 * as in LIMR. Streams every file: memory stays flat at LIMR scale (2.6 GB).
 */
export interface GenerateRunOptions {
  dir: string;
  prompts?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  promptsPerStep?: number;
  rolloutsPerPrompt?: number;
  /** Typical response size in characters. */
  responseBytes?: number;
  seed?: number;
  /** Extra dataset rows repeating an earlier prompt (math.8k.json has one). */
  duplicateRows?: number;
  /** Extra dataset rows whose prompt never appears in the log. */
  unseenRows?: number;
  /** Called after each step file. */
  onFile?: (step: number, steps: number) => void;
}

export interface GeneratedRun {
  dir: string;
  trainDir: string;
  datasetFile: string;
  steps: number;
  rollouts: number;
  bytes: number;
  /** Archetype per prompt, in dataset order (for tests and demos). */
  archetypes: Archetype[];
}

/** The LIMR run's shape: 8,523 prompts, 21 epochs of 8 steps, 1,024 prompts x 8 rollouts per step. */
export const LIMR_SCALE = { prompts: 8523, epochs: 21, stepsPerEpoch: 8, promptsPerStep: 1024, rolloutsPerPrompt: 8, responseBytes: 1500 };

const POOL = 64;

const REWARD = { correct: "1.0", wrong: "-0.5", format: "-1.0" };

/** Ready-made tails of rollout objects, from "response" to the closing brace (indent 4, as json.dump writes). */
function responsePool(r: Rng, bytes: number, kind: "correct" | "wrong" | "format"): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < POOL; i++) {
    const text = mathResponse(r, Math.max(20, Math.round(bytes * (0.5 + r()))), kind);
    const tokens = Math.max(1, Math.round(text.length / 3.4));
    out.push(Buffer.from(`"response": ${jsonAscii(text)},\n        "reward": ${REWARD[kind]},\n        "response_length": ${tokens}\n    }`));
  }
  return out;
}

export async function generateRun(opts: GenerateRunOptions): Promise<GeneratedRun> {
  // Defaults: a small run shaped like LIMR (each epoch trains ~96% of the prompts).
  const o = { prompts: 600, epochs: 8, stepsPerEpoch: 4, promptsPerStep: 144, rolloutsPerPrompt: 8, responseBytes: 400, seed: 1, ...opts };
  const perEpoch = o.promptsPerStep * o.stepsPerEpoch;
  if (perEpoch > o.prompts) throw new Error(`promptsPerStep x stepsPerEpoch (${perEpoch}) must not exceed prompts (${o.prompts})`);
  const r = mulberry32(o.seed);
  const trainDir = join(o.dir, "train");
  mkdirSync(trainDir, { recursive: true });

  // The dataset's questions: the logged ones first, then those the log never trains.
  const texts = distinctQuestions(r, o.prompts + (o.unseenRows ?? 0));
  const curves: PromptCurve[] = texts.slice(0, o.prompts).map(() => makeCurve(pickArchetype(r), r, o.epochs));
  // The log's prompt is the dataset's, except that some carry surrounding white space
  // (a chat template's newline, say): the join must trim.
  const logPrompts = texts.slice(0, o.prompts).map((t) => {
    const u = r();
    const text = u < 0.03 ? `${t}\n` : u < 0.05 ? `  ${t}` : t;
    return Buffer.from(`    {\n        "prompt": ${jsonAscii(text)},\n        `);
  });

  writeDataset(join(o.dir, "dataset.json"), texts, o.prompts, o.duplicateRows ?? (o.prompts >= 20 ? 1 : 0), r);

  const pools = {
    correct: responsePool(r, o.responseBytes, "correct"),
    wrong: responsePool(r, o.responseBytes, "wrong"),
    format: responsePool(r, o.responseBytes, "format"),
  };
  const steps = o.epochs * o.stepsPerEpoch;
  let rollouts = 0;
  let bytes = 0;
  for (const { epoch, step, prompts } of trainingSteps(r, o)) {
    const w = new BufferedFile(join(trainDir, `step_${step}.json`));
    w.write("[");
    const sep = [Buffer.from("\n"), Buffer.from(",\n")];
    let first = true;
    for (const p of prompts) {
      const accuracy = curves[p].accuracy(epoch);
      for (let j = 0; j < o.rolloutsPerPrompt; j++) {
        const kind = rolloutKind(r, accuracy);
        w.write(sep[first ? 0 : 1]);
        w.write(logPrompts[p]);
        w.write(pools[kind][Math.floor(r() * POOL)]);
        first = false;
        rollouts++;
      }
    }
    w.write(first ? "]" : "\n]");
    w.close();
    bytes += w.bytes;
    opts.onFile?.(step, steps);
  }
  return { dir: o.dir, trainDir, datasetFile: join(o.dir, "dataset.json"), steps, rollouts, bytes, archetypes: curves.map((c) => c.archetype) };
}

function uuid(r: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[randInt(r, 0, 15)]).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[randInt(r, 0, 3)]}${hex(3)}-${hex(12)}`;
}

/** Dataset rows: every log prompt, then `duplicates` repeats of earlier prompts, then the unseen ones. */
function writeDataset(path: string, texts: string[], logged: number, duplicates: number, r: Rng): void {
  const rows = texts.map((prompt) => ({ id: uuid(r), prompt, answer: mathAnswer(r), source: "synthetic" }));
  for (let d = 0; d < duplicates && logged > 0; d++) {
    const at = randInt(r, 0, logged - 1);
    rows.splice(at + 1, 0, { ...rows[at], id: uuid(r) });
  }
  const w = new BufferedFile(path);
  w.write("[");
  rows.forEach((row, i) => {
    const fields = Object.entries(row).map(([k, v]) => `        ${JSON.stringify(k)}: ${jsonAscii(v)}`);
    w.write(`${i === 0 ? "\n" : ",\n"}    {\n${fields.join(",\n")}\n    }`);
  });
  w.write(rows.length ? "\n]" : "]");
  w.close();
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      prompts: { type: "string" },
      epochs: { type: "string" },
      "steps-per-epoch": { type: "string" },
      "prompts-per-step": { type: "string" },
      "rollouts-per-prompt": { type: "string" },
      "response-bytes": { type: "string" },
      seed: { type: "string" },
      limr: { type: "boolean" },
    },
  });
  if (!values.out) {
    process.stderr.write(
      "usage: tsx lib/demo/generate-run.ts --out DIR [--limr] [--prompts N] [--epochs N] [--steps-per-epoch N] [--prompts-per-step N] [--rollouts-per-prompt N] [--response-bytes N] [--seed N]\n",
    );
    process.exit(2);
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const opts: GenerateRunOptions = { dir: resolve(values.out), ...(values.limr ? LIMR_SCALE : {}) };
  for (const [flag, key] of [
    ["prompts", "prompts"],
    ["epochs", "epochs"],
    ["steps-per-epoch", "stepsPerEpoch"],
    ["prompts-per-step", "promptsPerStep"],
    ["rollouts-per-prompt", "rolloutsPerPrompt"],
    ["response-bytes", "responseBytes"],
    ["seed", "seed"],
  ] as const) {
    const v = num(values[flag]);
    if (v !== undefined) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`--${flag} must be a non-negative integer`);
      opts[key] = v;
    }
  }
  const t = performance.now();
  const run = await generateRun(opts);
  process.stderr.write(
    `wrote ${run.steps} step files, ${run.rollouts.toLocaleString("en")} rollouts, ${(run.bytes / 1e6).toFixed(0)} MB to ${run.trainDir} and ${run.datasetFile} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
