/**
 * Seeded randomness for reproducible sessions: the same experiment seed gives the same per-turn
 * sampling seeds and the same ballot orders.
 */

import { hashString as hash32, mulberry32 as prng } from "../../../../shared/prng.js";

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
