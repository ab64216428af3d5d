/**
 * Sample quantiles by linear interpolation between order statistics (Hyndman & Fan's type 7, the
 * default of R and NumPy), used for percentile bootstrap intervals.
 */

/** The `q` quantile (0..1) of already ascending `sorted`; NaN for an empty list. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (q < 0 || q > 1 || Number.isNaN(q)) throw new Error(`quantile ${q} is outside 0..1`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** The central `level` interval (e.g. 0.95 → 2.5th and 97.5th percentiles) of `values`, which it sorts in place. */
export function percentileInterval(values: Float64Array | number[], level = 0.95): [number, number] {
  if (!(level > 0 && level < 1)) throw new Error(`interval level ${level} is outside (0, 1)`);
  values.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [quantileSorted(values, tail), quantileSorted(values, 1 - tail)];
}
