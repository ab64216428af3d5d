import { test } from "node:test";
import assert from "node:assert/strict";
import { countOutcomes, type IndexedOutcome } from "./outcomeCounts.js";
import { rateWithIntervals } from "./ratingIntervals.js";

const games = (a: number, b: number, winner: IndexedOutcome["winner"], times: number): IndexedOutcome[] =>
  Array.from({ length: times }, () => ({ a, b, winner }));

test("bootstrap intervals: seeded, contain the fitted rating, and narrow with more games", () => {
  // Models 0 and 1 play 400 games (60% to 0); model 2 plays 10 games against 1 (60% to 2).
  const outcomes = [...games(0, 1, "a", 240), ...games(0, 1, "b", 160), ...games(2, 1, "a", 6), ...games(2, 1, "b", 4)];
  const c = countOutcomes(3, outcomes);
  const r = rateWithIntervals(c, { seed: 3, resamples: 300 });
  assert.deepEqual(rateWithIntervals(c, { seed: 3, resamples: 300 }).intervals, r.intervals);
  r.intervals.forEach(([lo, hi], i) => assert.ok(lo <= r.ratings[i]! && r.ratings[i]! <= hi, `model ${i}: ${lo} ≤ ${r.ratings[i]} ≤ ${hi}`));
  const width = ([lo, hi]: [number, number]) => hi - lo;
  // Ratings are centred on their mean, so model 2's uncertainty widens every interval a little; its own is widest.
  assert.ok(width(r.intervals[2]!) > 1.5 * width(r.intervals[0]!), JSON.stringify(r.intervals));
  // The 60:40 record between 0 and 1 is a gap of 400·log10(1.5) ≈ 70 points; the interval of the gap
  // across resamples has a standard error near 400/ln10 · sqrt(1/(400·0.6·0.4)) ≈ 17.7 points.
  const gaps = Array.from({ length: r.resamples }, (_, s) => r.samples[s * 3]! - r.samples[s * 3 + 1]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1));
  assert.ok(Math.abs(mean - 70.4) < 6, `mean gap ${mean}`);
  assert.ok(Math.abs(sd - 17.7) < 4, `sd ${sd}`);
  assert.throws(() => rateWithIntervals(c, { resamples: 0 }), /positive integer/);
});
