import { readFile } from "node:fs/promises";

export interface PublishedScore {
  prompt: string;
  score: number;
}

export class ScoresFileError extends Error {}

/**
 * Reads precomputed scores, `[{prompt, score}]` (LIMR's published scores.json). Small enough
 * to parse whole; every element is checked so a bad one is named by index and field.
 */
export async function readScoresFile(file: string): Promise<PublishedScore[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new ScoresFileError(`${file}: ${why}`);
  }
  if (!Array.isArray(data)) throw new ScoresFileError(`${file}: expected a JSON array of {prompt, score}`);
  return data.map((el, i) => {
    const where = `${file}: element ${i}`;
    if (el === null || typeof el !== "object" || Array.isArray(el)) throw new ScoresFileError(`${where}: expected an object {prompt, score}`);
    const { prompt, score } = el as Record<string, unknown>;
    if (typeof prompt !== "string") throw new ScoresFileError(`${where}: field "prompt" must be a string`);
    if (typeof score !== "number" || !Number.isFinite(score)) throw new ScoresFileError(`${where}: field "score" must be a finite number`);
    return { prompt, score };
  });
}
