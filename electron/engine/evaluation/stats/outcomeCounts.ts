/**
 * Pairwise outcomes aggregated into a K×K count matrix, the form every rating computation works on:
 * fitting Bradley–Terry and resampling it for intervals then cost O(K²) per pass instead of O(outcomes).
 */

/** Who won one comparison between models `a` and `b` (indices into the model list). */
export type PairWinner = "a" | "b" | "tie" | "both-bad";

export interface IndexedOutcome {
  a: number;
  b: number;
  winner: PairWinner;
}

/**
 * Counts over K models. `wins[i*K + j]` is how often i beat j; `ties[i*K + j]` (i < j only) how often
 * they tied. A "both bad" verdict counts as a tie, as Chatbot Arena counts it: neither answer was
 * preferred.
 */
export interface OutcomeCounts {
  k: number;
  wins: Float64Array;
  ties: Float64Array;
}

export function emptyCounts(k: number): OutcomeCounts {
  return { k, wins: new Float64Array(k * k), ties: new Float64Array(k * k) };
}

/** Aggregates outcomes among `k` models; a comparison of a model with itself carries no information and is skipped. */
export function countOutcomes(k: number, outcomes: Iterable<IndexedOutcome>): OutcomeCounts {
  const c = emptyCounts(k);
  for (const o of outcomes) {
    if (o.a === o.b) continue;
    if (o.a < 0 || o.b < 0 || o.a >= k || o.b >= k) throw new Error(`model index out of range 0..${k - 1}: ${o.a}, ${o.b}`);
    if (o.winner === "a") c.wins[o.a * k + o.b]! += 1;
    else if (o.winner === "b") c.wins[o.b * k + o.a]! += 1;
    else c.ties[Math.min(o.a, o.b) * k + Math.max(o.a, o.b)]! += 1;
  }
  return c;
}

/** Per model: wins, losses and ties over all its comparisons. */
export function records(c: OutcomeCounts): { wins: number; losses: number; ties: number }[] {
  const { k } = c;
  return Array.from({ length: k }, (_, i) => {
    let wins = 0;
    let losses = 0;
    let ties = 0;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      wins += c.wins[i * k + j]!;
      losses += c.wins[j * k + i]!;
      ties += c.ties[Math.min(i, j) * k + Math.max(i, j)]!;
    }
    return { wins, losses, ties };
  });
}

/**
 * The "score" matrix Bradley–Terry fits: `s[i*K + j]` = wins of i over j plus half of their ties
 * (a tie is half a win for each side).
 */
export function scoreMatrix(c: OutcomeCounts): Float64Array {
  const { k } = c;
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      s[i * k + j] = c.wins[i * k + j]! + 0.5 * c.ties[Math.min(i, j) * k + Math.max(i, j)]!;
    }
  }
  return s;
}
