/**
 * The win-rate matrix of a leaderboard: how often the row model beat the column model in their
 * direct comparisons, ties counting half (the same convention as the ratings).
 */
import type { OutcomeCounts } from "./outcomeCounts.js";

/** `rates[i][j]` = (wins of i over j + ½·ties) / games between them; null where they never met (and on the diagonal). */
export function winRateMatrix(c: OutcomeCounts): (number | null)[][] {
  const { k } = c;
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      if (i === j) return null;
      const w = c.wins[i * k + j]!;
      const l = c.wins[j * k + i]!;
      const t = c.ties[Math.min(i, j) * k + Math.max(i, j)]!;
      const n = w + l + t;
      return n === 0 ? null : (w + 0.5 * t) / n;
    }),
  );
}
