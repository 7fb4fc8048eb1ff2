/**
 * RAND's draws (ours, as LIMR gives no procedure): mulberry32, a 32-bit PRNG of integer
 * operations only (Math.imul, shifts), so a seed gives the same numbers on every platform.
 * Prompt p, in log order, gets the p-th draw u_p in [0, 1), 53 bits from two consecutive
 * outputs a, b: ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53, as the usual double from two words: a prompt's draw depends on the seed and its place
 * in the log only, excluded prompts consume theirs too. RAND's top N (the N largest draws,
 * ties to the earlier prompt) is then a uniform sample of N prompts, and a larger N keeps
 * every prompt a smaller one kept.
 */

/** mulberry32's generator: each call returns the next uint32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The first `count` draws of a seed, each in [0, 1) with 53 random bits. */
export function uniformDraws(seed: number, count: number): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const hi = next() >>> 5; // 27 bits
    const lo = next() >>> 6; // 26 bits
    out[i] = (hi * 67108864 + lo) / 9007199254740992;
  }
  return out;
}

/** Seeds are unsigned 32-bit integers (mulberry32's state). */
export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}
