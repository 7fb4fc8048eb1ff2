/**
 * A run's prompt texts in ordinal order, a batch at a time (on the server, one stored block of
 * 1024 prompts per batch): what the search index and the text order are built from, so that
 * neither holds a string per prompt of a million-prompt run.
 */
export type PromptBatches = Iterable<readonly string[]> | AsyncIterable<readonly string[]>;

/** Texts held in memory as batches of `size` (tests, small runs). */
export function* inBatches(texts: readonly string[], size = 1024): Generator<readonly string[]> {
  for (let i = 0; i < texts.length; i += size) yield texts.slice(i, i + size);
}

/** Lets the event loop serve other requests between batches of a long build. */
export const nextTurn = () => new Promise<void>((r) => setImmediate(r));
