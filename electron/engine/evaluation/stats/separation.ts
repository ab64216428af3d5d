/**
 * "About N more votes to separate #1 from #2."
 *
 * Two models are separated when the 95% interval of their rating difference excludes zero, i.e. when
 * the observed gap d is at least 1.96 standard errors s (s is the standard deviation of the
 * difference across the bootstrap resamples, which accounts for the two ratings' correlation).
 *
 * The estimate assumes three things and says nothing more: the gap stays at its current estimate;
 * new votes are spread over the models like the recorded ones; and the standard error shrinks like
 * 1/√n in the number n of votes involving either model (standard for a maximum-likelihood estimate).
 * Then the gap is resolved once n grows to n·(1.96·s/d)², so about n·((1.96·s/d)² − 1) more votes
 * are needed. With no gap at all no number of votes separates them (null). The figure is a rough
 * planning aid, not a guarantee: the gap itself moves as votes arrive.
 */

const Z95 = 1.959963984540054;

export interface SeparationEstimate {
  /** Rating difference (first minus second). */
  gap: number;
  /** Bootstrap standard error of that difference. */
  standardError: number;
  /** Whether the 95% interval of the difference already excludes zero. */
  separated: boolean;
  /** Votes involving either model so far. */
  votes: number;
  /** About how many more votes (spread like the recorded ones) separate them; 0 when they already are, null when the gap is zero. */
  moreVotes: number | null;
}

/** Standard deviation of `first − second` across paired samples. */
export function differenceStdDev(first: ArrayLike<number>, second: ArrayLike<number>): number {
  const n = first.length;
  if (n !== second.length) throw new Error("sample lists differ in length");
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += (first[i]! - second[i]!) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (first[i]! - second[i]! - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** The estimate for a gap `gap` with bootstrap standard error `standardError` after `votes` votes involving either model. */
export function separationEstimate(gap: number, standardError: number, votes: number): SeparationEstimate {
  const d = Math.abs(gap);
  const separated = d >= Z95 * standardError;
  let moreVotes: number | null;
  if (separated) moreVotes = 0;
  else if (d === 0 || votes === 0 || !Number.isFinite(standardError)) moreVotes = null;
  else moreVotes = Math.ceil(votes * ((Z95 * standardError) / d) ** 2 - votes);
  return { gap, standardError, separated, votes, moreVotes };
}
