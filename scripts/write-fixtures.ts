import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { datasetRows, writeCsvDataset, writeJsonlDataset, writeParquetDataset } from "../lib/demo/generate-datasets";
import { generateGeneric } from "../lib/demo/generate-generic";
import { generateNemoRl } from "../lib/demo/generate-nemo-rl";
import { generateRun } from "../lib/demo/generate-run";
import { generateTrl } from "../lib/demo/generate-trl";
import { generateVerl } from "../lib/demo/generate-verl";

/**
 * `npm run fixtures -- DIR`: a small sample log of every format lim ingest reads, each in
 * its trainer's layout and written by the seeded generators in lib/demo, so a user can try
 * `lim ingest` on each (the commands are printed). The verl, TRL and NeMo-RL samples come
 * with a training set (Parquet as verl writes it, JSON Lines, CSV), to try matching logged
 * prompts to dataset questions by template and by id.
 */
export interface FixtureLog {
  format: string;
  /** What to pass to lim ingest. */
  path: string;
  /** Extra flags the sample needs or shows off. */
  flags: string[];
  /** The run name to suggest (default: the sample's folder). */
  name?: string;
}

export async function writeFixtures(dir: string): Promise<FixtureLog[]> {
  const at = (...p: string[]) => join(dir, ...p);
  const openrlhf = await generateRun({ dir: at("openrlhf"), prompts: 48, epochs: 4, stepsPerEpoch: 3, promptsPerStep: 16, rolloutsPerPrompt: 4, responseBytes: 200 });
  // verl logs its reward function's extra_info.index as `index`; its training set is Parquet.
  const verl = generateVerl({ dir: at("verl"), prompts: 36, epochs: 4, stepsPerEpoch: 3, index: true });
  mkdirSync(at("verl-dataset"));
  mkdirSync(at("nemo-rl-dataset"));
  const verlDataset = at("verl-dataset", "train.parquet");
  writeParquetDataset(verlDataset, datasetRows(verl));
  const trl = generateTrl({ dir: at("trl"), prompts: 36, epochs: 4, stepsPerEpoch: 3 });
  writeJsonlDataset(at("trl", "dataset.jsonl"), datasetRows({ ...trl, seed: 2 }));
  const sparse = generateTrl({ dir: at("trl-logging-steps-10"), prompts: 40, epochs: 6, stepsPerEpoch: 10, loggingSteps: 10, seed: 4 });
  const nemo = generateNemoRl({ dir: at("nemo-rl"), prompts: 24, epochs: 4, stepsPerEpoch: 3 });
  writeCsvDataset(at("nemo-rl-dataset", "questions.csv"), datasetRows({ ...nemo, seed: 3 }));
  const jsonl = generateGeneric({ out: at("jsonl", "rollouts.jsonl"), kind: "jsonl", names: { id: "meta.uid" } });
  const csv = generateGeneric({ out: at("csv", "rollouts.csv"), kind: "csv", names: { prompt: "question", reward: "score" }, seed: 12 });
  return [
    { format: "openrlhf", path: openrlhf.dir, flags: ["--steps-per-epoch", "3", "--dataset", openrlhf.datasetFile] },
    // The logged prompts carry the chat template, the dataset the bare question: the template is learned.
    { format: "verl", path: verl.dir, flags: ["--steps-per-epoch", "3", "--dataset", verlDataset] },
    { format: "verl", path: verl.dir, name: "verl-by-id", flags: ["--steps-per-epoch", "3", "--id-field", "index", "--dataset", verlDataset] },
    { format: "trl", path: trl.dir, flags: ["--steps-per-epoch", "3", "--reward-field", "accuracy_reward", "--dataset", at("trl", "dataset.jsonl")] },
    { format: "trl", path: sparse.dir, flags: ["--steps-per-epoch", "10", "--reward-field", "accuracy_reward"] },
    { format: "nemo-rl", path: nemo.dir, flags: ["--steps-per-epoch", "3", "--dataset", at("nemo-rl-dataset", "questions.csv")] },
    { format: "jsonl", path: jsonl.path, flags: ["--steps-per-epoch", "3", "--id-field", "meta.uid", "--success-field", "correct"] },
    { format: "csv", path: csv.path, flags: ["--steps-per-epoch", "3", "--prompt-field", "question", "--reward-field", "score"] },
  ];
}

async function main(argv: string[]): Promise<void> {
  const dir = argv.filter((a) => a !== "--out")[0];
  if (!dir || argv.includes("--help")) {
    process.stderr.write("usage: npm run fixtures -- DIR   (writes a small sample log of every format lim ingest reads into DIR)\n");
    process.exit(2);
  }
  const out = resolve(dir);
  if (existsSync(out) && readdirSync(out).length > 0) {
    process.stderr.write(`${out} is not empty: choose a new folder (the samples are written from scratch)\n`);
    process.exit(1);
  }
  const logs = await writeFixtures(out);
  process.stdout.write(`Wrote a sample log of every format to ${out}. Try:\n\n`);
  for (const l of logs) {
    const name = l.name ?? l.path.slice(out.length + 1).split("/")[0];
    process.stdout.write(`  npx lim ingest ${l.path} --name ${name} ${l.flags.join(" ")}\n`);
  }
  process.stdout.write(`\n(--format is recognised from the files; add --format ${[...new Set(logs.map((l) => l.format))].join("|")} to say it.)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
