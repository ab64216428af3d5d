/** Test support: whether a baseline spent the committee's token budget within a tolerance. */

/** Whether `baselineTokens` is within ±`tolerance` (default 10%) of `committeeTokens`. */
export function withinBudget(committeeTokens: number, baselineTokens: number, tolerance = 0.1): boolean {
  return Math.abs(baselineTokens - committeeTokens) <= tolerance * committeeTokens;
}
