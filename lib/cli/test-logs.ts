import { writeFileSync } from "node:fs";

/** Test helper: a JSONL log, per prompt its successes out of 2 rollouts in each step (step k + 1; 1 step per epoch). */
export function writeLog(file: string, prompts: Record<string, readonly number[]>, ids?: Record<string, string>): void {
  const rows = Object.entries(prompts).flatMap(([prompt, wins]) =>
    wins.flatMap((w, k) => [0, 1].map((r) => ({ ...(ids ? { id: ids[prompt] } : {}), prompt, step: k + 1, reward: r < w ? 1 : 0 }))),
  );
  writeRows(file, rows);
}

/** Test helper: objects as JSON Lines. */
export function writeRows(file: string, rows: object[]): void {
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
}
