/**
 * Seeded randomness for reproducible sessions: the same experiment seed gives the same per-turn
 * sampling seeds and the same ballot orders.
 */

/** FNV-1a over a string: a stable 32-bit hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates driven by `key` (e.g. `${seed}:ballot:${voter}:${round}`). */
export function seededShuffle<T>(items: readonly T[], key: string): T[] {
  const next = prng(hash32(key));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The sampling seed of a role's n-th turn in a session seeded with `seed` (fits llama.cpp's u32). */
export function turnSeed(seed: number, role: string, n: number): number {
  return hash32(`${seed}:${role}:${n}`) & 0x7fffffff;
}
