import { BufferedFile } from "./buffered-file";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { makeCurve, pickArchetype } from "./archetypes";
import { jsonAscii, mathAnswer, mathPrompt } from "./math-text";
import { mulberry32, pick, randInt, type Rng } from "./prng";
import { rolloutKind } from "./synthetic-plan";

/**
 * Writes a deterministic synthetic OpenRLHF run at prompt-count scale (100k, 1M prompts): the
 * layout generate-run.ts writes (DIR/train/step_N.json, JSON arrays of {prompt, response,
 * reward, response_length}, indent 4; DIR/dataset.json, [{id, prompt, answer, source}]), but
 * shaped like a large dataset trained briefly: every prompt once per epoch, a few rollouts
 * each, short responses (~20 characters) and ~200-character prompts, so the log is mostly
 * prompt text and the number of distinct prompts is what costs.
 *
 * Built for speed and flat memory at 1M prompts (48 files, ~4.4 GB): each prompt's JSON head
 * is encoded once into one arena buffer, and step files are written by copying arena slices
 * and ready-made response tails through one reused buffer. Every epoch's order and every
 * step's rewards come from their own seeded generator, so a step file's bytes depend only on
 * the seed, the shape and its step number.
 */
export interface ScaleRunShape {
  prompts: number;
  epochs: number;
  stepsPerEpoch: number;
  rolloutsPerPrompt: number;
  seed: number;
}

export interface GenerateScaleRunOptions extends Partial<ScaleRunShape> {
  dir: string;
  /** Called after the dataset and after each step file. */
  onProgress?: (done: number, steps: number) => void;
}

export interface GeneratedScaleRun {
  dir: string;
  trainDir: string;
  datasetFile: string;
  steps: number;
  rollouts: number;
  /** Bytes of the step files (the log). */
  bytes: number;
  datasetBytes: number;
  /** Mean characters of a prompt's text. */
  promptChars: number;
}

export const SCALE_DEFAULTS: Omit<ScaleRunShape, "prompts"> = { epochs: 6, stepsPerEpoch: 8, rolloutsPerPrompt: 2, seed: 2026 };

/** Bytes the log and the dataset take, for a disk-space check before writing (measured: ~346 B a rollout, ~360 B a dataset row). */
export function estimateScaleRunBytes(s: Pick<ScaleRunShape, "prompts" | "epochs" | "rolloutsPerPrompt">): number {
  return s.prompts * s.epochs * s.rolloutsPerPrompt * 350 + s.prompts * 365;
}

const REWARD = { correct: "1.0", wrong: "-0.5", format: "-1.0" } as const;
type Kind = keyof typeof REWARD;
const POOL = 64;

/** A seed for one part of the run (an epoch's shuffle, a step's rewards), from the run's seed. */
function subSeed(seed: number, part: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(part + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

const LEADS = [
  (n: number) => `Let $N = ${n}$.`,
  (n: number) => `Problem ${n}.`,
  (n: number) => `Suppose $k = ${n}$ throughout.`,
  (n: number) => `For the integer $m = ${n}$, answer the following.`,
];

/**
 * A prompt's text: a lead naming a number unique to the prompt (an affine bijection of its
 * index onto 0..9,999,999, so texts are distinct without a set of every text seen), then math
 * questions until ~200 characters.
 */
function promptText(r: Rng, index: number): string {
  const code = (index * 7919 + 104_729) % 10_000_000;
  let text = pick(r, LEADS)(code);
  do text += ` ${mathPrompt(r)}`;
  while (text.length < 150);
  return text;
}

function responseText(r: Rng, kind: Kind): string {
  const n = randInt(r, 2, 999);
  switch (kind) {
    case "correct":
      return pick(r, [`Answer: $\\boxed{${n}}$`, `So $x = ${n}$. $\\boxed{${n}}$`, `Thus $\\boxed{${n}}$.`]);
    case "wrong":
      return pick(r, [`Answer: $\\boxed{${n + 1}}$`, `Hence $\\boxed{-${n}}$.`, `We get $\\boxed{${n}/2}$`]);
    case "format":
      return pick(r, ["I am not sure here.", `Maybe ${n}, or not.`, "Let me think again..."]);
  }
}

/** Ready-made tails of rollout objects, from "response" to the closing brace (indent 4). */
function responsePool(r: Rng, kind: Kind): Buffer[] {
  return Array.from({ length: POOL }, () => {
    const text = responseText(r, kind);
    const tokens = Math.max(1, Math.round(text.length / 3.4));
    return Buffer.from(`"response": ${jsonAscii(text)},\n        "reward": ${REWARD[kind]},\n        "response_length": ${tokens}\n    }`);
  });
}

/** Concatenated byte strings with their offsets: one allocation for a million prompt heads. */
class Arena {
  buf = Buffer.allocUnsafeSlow(1 << 24);
  used = 0;
  readonly offsets: Uint32Array;
  private n = 0;
  constructor(count: number) {
    this.offsets = new Uint32Array(count + 1);
  }
  push(s: string): void {
    const need = Buffer.byteLength(s);
    if (this.used + need > this.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    this.used += this.buf.write(s, this.used, "latin1");
    this.offsets[++this.n] = this.used;
  }
}

export async function generateScaleRun(opts: GenerateScaleRunOptions): Promise<GeneratedScaleRun> {
  const s: ScaleRunShape = { prompts: 100_000, ...SCALE_DEFAULTS, ...opts };
  const { prompts: n, epochs, stepsPerEpoch, rolloutsPerPrompt } = s;
  if (n < stepsPerEpoch) throw new Error(`prompts (${n}) must be at least stepsPerEpoch (${stepsPerEpoch})`);
  if (n > 10_000_000) throw new Error("at most 10,000,000 prompts (the unique number in each prompt has 7 digits)");
  const trainDir = join(opts.dir, "train");
  mkdirSync(trainDir, { recursive: true });
  const steps = epochs * stepsPerEpoch;

  // Prompts, their dataset rows and their learning curves, in one pass.
  const r = mulberry32(s.seed);
  const heads = new Arena(n);
  const accuracy = new Float32Array(n * epochs);
  const dataset = new BufferedFile(join(opts.dir, "dataset.json"));
  const hex = (k: number) => {
    let out = "";
    for (let i = 0; i < k; i++) out += "0123456789abcdef"[(r() * 16) | 0];
    return out;
  };
  let promptChars = 0;
  dataset.text("[");
  for (let i = 0; i < n; i++) {
    const text = promptText(r, i);
    promptChars += text.length;
    const curve = makeCurve(pickArchetype(r), r, epochs);
    for (let e = 0; e < epochs; e++) accuracy[i * epochs + e] = curve.accuracy(e + 1);
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[(r() * 4) | 0]}${hex(3)}-${hex(12)}`;
    const json = jsonAscii(text);
    dataset.text(
      `${i === 0 ? "\n" : ",\n"}    {\n        "id": "${id}",\n        "prompt": ${json},\n        "answer": ${jsonAscii(mathAnswer(r))},\n        "source": "synthetic"\n    }`,
    );
    // Some logged prompts carry white space the dataset's lack (a chat template's newline): the join trims.
    const u = r();
    const logged = u < 0.03 ? jsonAscii(`${text}\n`) : u < 0.05 ? jsonAscii(`  ${text}`) : json;
    // ",\n" first: the file's first rollout skips the comma.
    heads.push(`,\n    {\n        "prompt": ${logged},\n        `);
  }
  dataset.text("\n]");
  dataset.close();
  opts.onProgress?.(0, steps);

  const pr = mulberry32(subSeed(s.seed, 0));
  const pools = { correct: responsePool(pr, "correct"), wrong: responsePool(pr, "wrong"), format: responsePool(pr, "format") };
  const order = new Int32Array(n);
  const perStep = Math.ceil(n / stepsPerEpoch);
  let rollouts = 0;
  let bytes = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = 0; i < n; i++) order[i] = i;
    const sr = mulberry32(subSeed(s.seed, epoch));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(sr() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let k = 0; k < stepsPerEpoch; k++) {
      const step = (epoch - 1) * stepsPerEpoch + k + 1;
      const rr = mulberry32(subSeed(s.seed, 1000 + step));
      const w = new BufferedFile(join(trainDir, `step_${step}.json`));
      w.text("[");
      let first = 1;
      const end = Math.min(n, (k + 1) * perStep);
      for (let at = k * perStep; at < end; at++) {
        const p = order[at];
        const acc = accuracy[p * epochs + epoch - 1];
        const from = heads.offsets[p];
        const to = heads.offsets[p + 1];
        for (let j = 0; j < rolloutsPerPrompt; j++) {
          const kind = rolloutKind(rr, acc);
          w.copy(heads.buf, from + first, to);
          w.copy(pools[kind][(rr() * POOL) | 0]);
          first = 0;
          rollouts++;
        }
      }
      w.text(first ? "]" : "\n]");
      w.close();
      bytes += w.bytes;
      opts.onProgress?.(step, steps);
    }
  }
  return {
    dir: opts.dir,
    trainDir,
    datasetFile: join(opts.dir, "dataset.json"),
    steps,
    rollouts,
    bytes,
    datasetBytes: dataset.bytes,
    promptChars: promptChars / n,
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      prompts: { type: "string" },
      epochs: { type: "string" },
      "steps-per-epoch": { type: "string" },
      "rollouts-per-prompt": { type: "string" },
      seed: { type: "string" },
    },
  });
  if (!values.out) {
    process.stderr.write("usage: tsx lib/demo/generate-scale-run.ts --out DIR [--prompts N] [--epochs N] [--steps-per-epoch N] [--rollouts-per-prompt N] [--seed N]\n");
    process.exit(2);
  }
  const opts: GenerateScaleRunOptions = { dir: resolve(values.out) };
  for (const [flag, key] of [
    ["prompts", "prompts"],
    ["epochs", "epochs"],
    ["steps-per-epoch", "stepsPerEpoch"],
    ["rollouts-per-prompt", "rolloutsPerPrompt"],
    ["seed", "seed"],
  ] as const) {
    const v = values[flag] === undefined ? undefined : Number(values[flag]);
    if (v !== undefined) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`--${flag} must be a non-negative integer`);
      opts[key] = v;
    }
  }
  const t = performance.now();
  const run = await generateScaleRun(opts);
  process.stderr.write(
    `wrote ${run.steps} step files, ${run.rollouts.toLocaleString("en")} rollouts, ${(run.bytes / 1e6).toFixed(0)} MB (prompts ~${run.promptChars.toFixed(0)} chars) ` +
      `and a ${(run.datasetBytes / 1e6).toFixed(0)} MB dataset to ${run.dir} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
