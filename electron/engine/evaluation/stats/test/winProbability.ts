/** Test support: the win probability two ratings on the Elo-like scale imply. */

/** The probability that a model rated `ra` beats one rated `rb` (Elo-like scale). */
export function winProbability(ra: number, rb: number): number {
  return 1 / (1 + 10 ** ((rb - ra) / 400));
}
