/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

/** Exit codes of every `lim` command. */
export const EXIT = { ok: 0, runtime: 1, usage: 2 } as const;
