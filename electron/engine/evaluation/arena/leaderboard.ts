/**
 * The leaderboard: Bradley–Terry ratings with bootstrap 95% intervals over stored pairwise outcomes,
 * the win-rate matrix, and how far the top two are from being told apart. Models are keyed by file
 * fingerprint and shown with the latest name recorded for it.
 */
import type { ArenaModel, Leaderboard, LeaderboardSource, PairWinner } from "../../../../shared/arena.js";
import { countOutcomes, records, type IndexedOutcome } from "../stats/outcomeCounts.js";
import { rateWithIntervals } from "../stats/ratingIntervals.js";
import { differenceStdDev, separationEstimate } from "../stats/separation.js";
import { winRateMatrix } from "../stats/winRates.js";

export interface LeaderboardOptions {
  source?: LeaderboardSource;
  /** Bootstrap resamples (default 200). */
  resamples?: number;
  seed?: number;
}

/** The fields of an outcome a ranking reads. */
export interface RankableOutcome {
  a: string;
  aName: string;
  b: string;
  bName: string;
  winner: PairWinner;
}

/** Ranks the models in `outcomes` (comparisons of a model with itself are ignored). */
export function computeLeaderboard(outcomes: Iterable<RankableOutcome>, options: LeaderboardOptions = {}): Leaderboard {
  const source = options.source ?? "all";
  const index = new Map<string, number>();
  const models: ArenaModel[] = [];
  const indexed: IndexedOutcome[] = [];
  const idOf = (fingerprint: string, name: string): number => {
    let i = index.get(fingerprint);
    if (i === undefined) {
      index.set(fingerprint, (i = models.length));
      models.push({ fingerprint, name });
    } else {
      models[i]!.name = name;
    }
    return i;
  };
  let sameModel = 0;
  for (const o of outcomes) {
    if (o.a === o.b) {
      sameModel++;
      continue;
    }
    indexed.push({ a: idOf(o.a, o.aName), b: idOf(o.b, o.bName), winner: o.winner });
  }
  const k = models.length;
  if (k === 0) return { source, outcomes: 0, sameModel, resamples: 0, entries: [], winRates: [], separation: null };

  const counts = countOutcomes(k, indexed);
  const resamples = options.resamples ?? 200;
  const rated = rateWithIntervals(counts, { resamples, seed: options.seed ?? 0 });
  const recs = records(counts);
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => rated.ratings[y]! - rated.ratings[x]!);
  const rates = winRateMatrix(counts);
  const entries = order.map((i) => {
    const r = recs[i]!;
    return {
      model: models[i]!,
      rating: rated.ratings[i]!,
      ci95: rated.intervals[i]!,
      wins: r.wins,
      losses: r.losses,
      ties: r.ties,
      games: r.wins + r.losses + r.ties,
    };
  });

  let separation: Leaderboard["separation"] = null;
  const [first, second] = order;
  if (first !== undefined && second !== undefined) {
    const s1 = new Float64Array(resamples);
    const s2 = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      s1[r] = rated.samples[r * k + first]!;
      s2[r] = rated.samples[r * k + second]!;
    }
    const between = counts.wins[first * k + second]! + counts.wins[second * k + first]! + counts.ties[Math.min(first, second) * k + Math.max(first, second)]!;
    const votes = entries[0]!.games + entries[1]!.games - between;
    separation = {
      first: models[first]!,
      second: models[second]!,
      ...separationEstimate(rated.ratings[first]! - rated.ratings[second]!, differenceStdDev(s1, s2), votes),
    };
  }
  return {
    source,
    outcomes: indexed.length,
    sameModel,
    resamples,
    entries,
    winRates: order.map((i) => order.map((j) => rates[i]![j]!)),
    separation,
  };
}
