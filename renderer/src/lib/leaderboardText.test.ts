/** The empty Leaderboard explains itself per source. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyBoardText } from "./leaderboardText.js";

test("an empty board says why: nothing recorded, or only a file against itself", () => {
  assert.equal(emptyBoardText({ source: "human", sameModel: 0 }), "No outcomes yet: vote in Compare (a pick, a tie or both bad).");
  const baseline = emptyBoardText({ source: "baseline", sameModel: 1 });
  assert.match(baseline, /^1 outcome recorded, each of a model file against itself/);
  assert.doesNotMatch(baseline, /vote in Compare/);
  assert.match(emptyBoardText({ source: "baseline", sameModel: 3 }), /^3 outcomes recorded/);
});
