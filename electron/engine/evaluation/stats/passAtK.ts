/**
 * pass@k with the unbiased estimator of Chen et al. (2021): with n samples of which c pass, the
 * chance that at least one of k drawn without replacement passes is 1 − C(n−c, k) / C(n, k),
 * computed as a product so large n never overflows. Averaged over tasks for a run.
 */

/** pass@k of one task: `n` samples, `c` of them passing. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs integers 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/** The mean pass@k over tasks for every k from 1 to the smallest sample count; null without samples. */
export function meanPassAtK(tasks: readonly { n: number; c: number }[]): Record<string, number> | null {
  const sampled = tasks.filter((t) => t.n > 0);
  if (sampled.length === 0) return null;
  const maxK = Math.min(...sampled.map((t) => t.n));
  const out: Record<string, number> = {};
  for (let k = 1; k <= maxK; k++) out[String(k)] = sampled.reduce((s, t) => s + passAtK(t.n, t.c, k), 0) / sampled.length;
  return out;
}
