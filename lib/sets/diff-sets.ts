import { inflateSync } from "node:zlib";
import { savedSetIdentities } from "../db";
import { SetNotFoundError } from "./errors";
import type { RowIdentity } from "./row-identities";

/** Rows only in A, only in B and in both (`lim sets diff --json`; field names are a contract). */
export interface SetDiff {
  a: string;
  b: string;
  /** What a row is matched by: the dataset's id when every row of both sets has one, else its prompt. */
  by: "id" | "prompt";
  only_a: number;
  only_b: number;
  both: number;
  /** With `rows`: the rows of each part (for `both`, A's row). */
  rows?: { only_a: RowIdentity[]; only_b: RowIdentity[]; both: RowIdentity[] };
}

/** The identities of a saved set's rows, in export order. */
export async function setIdentities(name: string): Promise<RowIdentity[]> {
  const data = await savedSetIdentities(name);
  if (data === null) throw new SetNotFoundError(name);
  const stored = JSON.parse(inflateSync(data).toString("utf8")) as [number | null, string, string | null][];
  return stored.map(([row, prompt, id]) => ({ row, prompt, id }));
}

/** Compares two saved sets row by row (see diffIdentities). */
export async function diffSets(a: string, b: string, opts: { rows?: boolean } = {}): Promise<SetDiff> {
  const [ra, rb] = await Promise.all([setIdentities(a), setIdentities(b)]);
  return { a, b, ...diffIdentities(ra, rb, opts) };
}

/**
 * Rows counted as a multiset of keys (id, else prompt): a key A writes twice and B once is
 * once in both and once only in A, so only_a + both is A's row count and only_b + both B's.
 */
export function diffIdentities(a: readonly RowIdentity[], b: readonly RowIdentity[], opts: { rows?: boolean } = {}): Omit<SetDiff, "a" | "b"> {
  const by = a.every((r) => r.id !== null) && b.every((r) => r.id !== null) && a.length + b.length > 0 ? "id" : "prompt";
  const key = by === "id" ? (r: RowIdentity) => r.id! : (r: RowIdentity) => r.prompt;
  const counts = (rows: readonly RowIdentity[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const split = (rows: readonly RowIdentity[], other: Map<string, number>) => {
    const only: RowIdentity[] = [];
    const both: RowIdentity[] = [];
    for (const r of rows) {
      const left = other.get(key(r)) ?? 0;
      if (left > 0) {
        other.set(key(r), left - 1);
        both.push(r);
      } else only.push(r);
    }
    return { only, both };
  };
  const inA = split(a, counts(b));
  const inB = split(b, counts(a));
  const diff: Omit<SetDiff, "a" | "b"> = { by, only_a: inA.only.length, only_b: inB.only.length, both: inA.both.length };
  if (opts.rows) diff.rows = { only_a: inA.only, only_b: inB.only, both: inA.both };
  return diff;
}
