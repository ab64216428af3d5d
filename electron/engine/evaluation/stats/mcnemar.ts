/**
 * McNemar's exact test for paired correct/incorrect outcomes (committee against baseline on the same
 * tasks). Only the discordant pairs carry information: `b` tasks where the first system was right and
 * the second wrong, `c` the other way round. Under the null hypothesis each discordant pair falls
 * either way with probability 1/2, so the two-sided p-value is the exact binomial tail
 * `min(1, 2 · P(X ≤ min(b, c)))` with `X ~ Binomial(b + c, 1/2)`.
 *
 * The binomial CDF comes from stdlib (`@stdlib/stats-base-dists-binomial-cdf`), which evaluates it
 * through the regularised incomplete beta function and so stays accurate for thousands of pairs,
 * where summing `C(n, k) / 2^n` term by term would overflow.
 */
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";

/** Discordant pair counts of a paired comparison. */
export interface DiscordantPairs {
  /** First right, second wrong. */
  b: number;
  /** First wrong, second right. */
  c: number;
}

/** Counts the discordant pairs of two equally long lists of outcomes (task i of `first` pairs with task i of `second`). */
export function discordantPairs(first: readonly boolean[], second: readonly boolean[]): DiscordantPairs {
  if (first.length !== second.length) throw new Error(`paired outcomes differ in length (${first.length} vs ${second.length})`);
  let b = 0;
  let c = 0;
  for (let i = 0; i < first.length; i++) {
    if (first[i] && !second[i]) b++;
    else if (!first[i] && second[i]) c++;
  }
  return { b, c };
}

/** The exact two-sided McNemar p-value; 1 when there is no discordant pair. */
export function mcnemarExactP({ b, c }: DiscordantPairs): number {
  for (const [name, v] of [["b", b], ["c", c]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a non-negative integer (got ${v})`);
  }
  const n = b + c;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(b, c), n, 0.5));
}
