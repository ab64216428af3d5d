/**
 * Paired bootstrap interval of an accuracy difference. The committee and its baseline answer the
 * same tasks, so tasks (not answers) are resampled with replacement and the difference of the two
 * accuracies is recomputed on each resample; the interval is the central percentile range of those
 * differences. Pairing keeps the per-task correlation between the two systems, which an unpaired
 * test throws away (and so overstates the uncertainty).
 *
 * Randomness comes from the project's seeded PRNG (`shared/prng.ts`), so a seed gives the same interval
 * on every machine.
 */
import { mulberry32 } from "../../../../shared/prng.js";
import { percentileInterval } from "./quantile.js";

export interface PairedBootstrapOptions {
  /** Resamples (default 2000). */
  resamples?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** Interval level (default 0.95). */
  level?: number;
}

export interface DeltaInterval {
  /** Mean of `first` minus mean of `second` on the data as observed. */
  delta: number;
  /** The central interval of the resampled deltas. */
  ci: [number, number];
  resamples: number;
}

/**
 * Bootstrap interval of `mean(first) - mean(second)` over paired per-task scores (1/0 for
 * correct/incorrect, or any number). Null when there are no tasks.
 */
export function pairedBootstrapDelta(
  first: readonly (number | boolean)[],
  second: readonly (number | boolean)[],
  options: PairedBootstrapOptions = {},
): DeltaInterval | null {
  if (first.length !== second.length) throw new Error(`paired scores differ in length (${first.length} vs ${second.length})`);
  const n = first.length;
  if (n === 0) return null;
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`resamples must be a positive integer (got ${resamples})`);
  // Only the per-task difference matters for a difference of means.
  const d = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    d[i] = Number(first[i]) - Number(second[i]);
    sum += d[i] as number;
  }
  const random = mulberry32(options.seed ?? 0);
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(random() * n)] as number;
    deltas[r] = s / n;
  }
  return { delta: sum / n, ci: percentileInterval(deltas, options.level ?? 0.95), resamples };
}
