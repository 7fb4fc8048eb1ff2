import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateRun } from "../../demo/generate-run";
import { ingestRun } from "../../ingest/ingest-run";
import { progressReporter } from "../../ingest/progress";
import type { Command } from "../command";
import { parseFlags, runNameFlag } from "../flags";

/** The demo run everyone sees first: LIMR's shape (8 steps per epoch), a fifth of its size. */
export const DEMO_RUN = { prompts: 8523, epochs: 12, stepsPerEpoch: 8, promptsPerStep: 1024, rolloutsPerPrompt: 8, responseBytes: 300, seed: 2502 };

export const demoCommand: Command = {
  name: "demo",
  usage: "lim demo [--name demo] [--replace]",
  async run(args) {
    const { values, help } = parseFlags(args, { name: { type: "string" }, replace: { type: "boolean" } }, []);
    if (help) return void process.stdout.write(`${this.usage}\nGenerates the seeded demo run (synthetic OpenRLHF logs) and ingests it.\n`);
    const name = runNameFlag({ name: "demo", ...values });
    const dir = await mkdtemp(path.join(os.tmpdir(), "lim-demo-"));
    const progress = progressReporter(process.stderr);
    try {
      process.stderr.write("Generating the demo run's logs...\n");
      const gen = await generateRun({ dir, ...DEMO_RUN });
      const run = await ingestRun({
        path: gen.trainDir,
        name,
        format: "openrlhf", // the generator writes OpenRLHF step files: nothing to detect
        stepsPerEpoch: DEMO_RUN.stepsPerEpoch,
        dataset: { file: gen.datasetFile },
        replace: values.replace === true,
        source: "demo (seeded synthetic OpenRLHF run)",
        onProgress: (p) => progress.update(p),
        onMessage: (m) => progress.message(m),
      }).finally(() => progress.done());
      process.stderr.write(`Created run "${run.name}": ${run.sampleCount.toLocaleString("en-US")} prompts.\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
