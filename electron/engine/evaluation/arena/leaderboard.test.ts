import { test } from "node:test";
import assert from "node:assert/strict";
import type { PairWinner } from "../../../../shared/arena.js";
import { computeLeaderboard, type RankableOutcome } from "./leaderboard.js";

const battles = (a: string, b: string, winner: PairWinner, times: number): RankableOutcome[] =>
  Array.from({ length: times }, () => ({ a: `fp:${a}`, aName: a, b: `fp:${b}`, bName: b, winner }));

test("a known tournament ranks best first, with records, win rates and intervals around the ratings", () => {
  const board = computeLeaderboard(
    [
      ...battles("alpha", "beta", "a", 30), ...battles("alpha", "beta", "b", 10),
      ...battles("beta", "gamma", "a", 30), ...battles("beta", "gamma", "b", 10),
      ...battles("alpha", "gamma", "a", 9), ...battles("alpha", "gamma", "tie", 2),
      ...battles("gamma", "gamma", "a", 5), // self-play: ignored
    ],
    { source: "human", seed: 1 },
  );
  assert.equal(board.outcomes, 91);
  assert.deepEqual(board.entries.map((e) => e.model.name), ["alpha", "beta", "gamma"]);
  assert.deepEqual(board.entries.map((e) => [e.wins, e.losses, e.ties, e.games]), [[39, 10, 2, 51], [40, 40, 0, 80], [10, 39, 2, 51]]);
  for (const e of board.entries) assert.ok(e.ci95[0] <= e.rating && e.rating <= e.ci95[1]);
  assert.equal(board.winRates[0]![1], 0.75);
  assert.equal(board.winRates[1]![0], 0.25);
  assert.equal(board.winRates[0]![2], 10 / 11);
  assert.equal(board.winRates[0]![0], null);
  const s = board.separation;
  assert.ok(s);
  assert.equal(s.first.name, "alpha");
  assert.equal(s.votes, 51 + 80 - 40);
  assert.ok(s.separated ? s.moreVotes === 0 : (s.moreVotes ?? 0) > 0);
});

test("renamed files keep one entry (by fingerprint) under the latest name; no outcomes, no entries", () => {
  const board = computeLeaderboard([
    { a: "fp:1", aName: "old name", b: "fp:2", bName: "two", winner: "a" },
    { a: "fp:2", aName: "two", b: "fp:1", bName: "new name", winner: "b" },
  ]);
  assert.deepEqual(board.entries.map((e) => e.model), [{ fingerprint: "fp:1", name: "new name" }, { fingerprint: "fp:2", name: "two" }]);
  assert.deepEqual(computeLeaderboard([]).entries, []);
  // A committee against its baseline on one file ranks nothing, but the board says it saw them.
  const same = computeLeaderboard([{ a: "fp:1", aName: "one", b: "fp:1", bName: "one", winner: "a" }], { source: "baseline" });
  assert.deepEqual([same.entries.length, same.outcomes, same.sameModel], [0, 0, 1]);
  assert.equal(board.sameModel, 0);
  assert.equal(computeLeaderboard([]).separation, null);
});
