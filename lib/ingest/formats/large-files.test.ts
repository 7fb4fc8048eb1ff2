import assert from "node:assert/strict";
import { constants } from "node:buffer";
import { createWriteStream, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import { tempDir } from "../test-helpers";
import { readAll } from "./reader-checks";

/**
 * Step files larger than the longest string V8 can make (~512 MB), which a reader that read
 * a file into one string refused with "Cannot create a string longer than 0x1fffffe8
 * characters" and no file name. Each file is written streaming into a temp folder and
 * deleted after. Writing and reading ~1.1 GB takes ~30 s on an idle 2-core machine and more
 * under load, so the test runs only when asked: `npm run test:large-files` (LIM_LARGE_FILE_TEST=1).
 */

const enabled = process.env.LIM_LARGE_FILE_TEST === "1";
const tmp = tempDir("lim-large-");
after(() => tmp.cleanup());

const LIMIT = constants.MAX_STRING_LENGTH;
const RESPONSE = "x".repeat(256 << 10); // 256 KB per rollout: ~2,100 rollouts pass the limit
const ROLLOUTS = Math.ceil((LIMIT + (16 << 20)) / RESPONSE.length);

/** Writes `count` pieces from piece(i) to `file`, streaming, waiting for the disk when it asks. */
async function writeStreaming(file: string, head: string, count: number, piece: (i: number) => string, tail: string): Promise<number> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const put = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await put(head);
  for (let i = 0; i < count; i++) await put(piece(i));
  await put(tail);
  out.end();
  await once(out, "finish");
  return statSync(file).size;
}

const rewardOf = (i: number) => (i % 3 === 0 ? 1 : 0);
const promptOf = (i: number) => `Q${i % 7}`;
const expectedRewards = () => {
  const sums = new Map<string, number>();
  for (let i = 0; i < ROLLOUTS; i++) sums.set(promptOf(i), (sums.get(promptOf(i)) ?? 0) + rewardOf(i));
  return sums;
};

function rewardsByPrompt(batches: Awaited<ReturnType<typeof readAll>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of batches) {
    const prompts = b.prompts ?? [];
    prompts.forEach((p, i) => out.set(p, (out.get(p) ?? 0) + b.agg.rewardSum[i]));
  }
  return out;
}

describe("step files over 512 MB are read in pieces", { skip: enabled ? false : "set LIM_LARGE_FILE_TEST=1 (npm run test:large-files): writes and reads ~1.1 GB" }, () => {
  let openrlhfDir: string;
  let verlDir: string;
  before(async () => {
    openrlhfDir = path.join(tmp.dir, "openrlhf");
    const el = (i: number) => `${i > 0 ? ",\n" : ""}    {"id": "${promptOf(i)}", "prompt": "${promptOf(i)}", "response": "${RESPONSE}", "reward": ${rewardOf(i)}, "response_length": 9}`;
    const size = await writeStreaming(path.join(openrlhfDir, "step_1.json"), "[\n", ROLLOUTS, el, "\n]\n");
    assert.ok(size > LIMIT, `${size} bytes`);
    verlDir = path.join(tmp.dir, "verl");
    const line = (i: number) => `{"input": "${promptOf(i)}", "output": "${RESPONSE}", "score": ${rewardOf(i)}, "step": 1}\n`;
    assert.ok((await writeStreaming(path.join(verlDir, "1.jsonl"), "", ROLLOUTS, line, "")) > LIMIT);
  });

  test("verl: a 1.jsonl over the limit is read line by line", async () => {
    assert.deepEqual(rewardsByPrompt(await readAll("verl", verlDir)), expectedRewards());
  });

  test("jsonl: the same file as a generic log", async () => {
    const batches = await readAll("jsonl", path.join(verlDir, "1.jsonl"), { fields: { prompt: "input", reward: "score" } });
    assert.deepEqual(rewardsByPrompt(batches), expectedRewards());
  });

  test("openrlhf with --id-field: a step_1.json over the limit is split element by element", async () => {
    assert.deepEqual(rewardsByPrompt(await readAll("openrlhf", openrlhfDir, { fields: { id: "id" } })), expectedRewards());
  });

  test("openrlhf: the byte scanner reads it as one buffer", async () => {
    const batches = await readAll("openrlhf", openrlhfDir);
    assert.equal(batches.reduce((n, b) => n + b.rollouts, 0), ROLLOUTS);
  });
});
